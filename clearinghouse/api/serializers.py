from rest_framework import serializers


class LanguageSerializer(serializers.Serializer[dict[str, object]]):
    code = serializers.CharField(help_text="Language code used by the API and the site's addresses.")
    name = serializers.CharField(help_text="The language's name in that language.")
    name_en = serializers.CharField(help_text="The language's name in English.")
    rtl = serializers.BooleanField(help_text="Written right to left.")

"""The alumni and communities figures as the API gives them: the statistics page's figures, a
hidden one as null with the reason it is hidden ("fewer": under 5 people; "complement": it
would give a hidden one away)."""

from __future__ import annotations

from rest_framework import serializers


class CommunityFigureSerializer(serializers.Serializer[object]):
    value = serializers.FloatField(allow_null=True, help_text="The figure; null when it is hidden.")
    hidden = serializers.CharField(help_text='Why it is hidden: "fewer", "complement", or "".')


class CommunityRowSerializer(serializers.Serializer[object]):
    key = serializers.CharField(help_text='The group\'s code ("" for people without the fact).')
    label = serializers.CharField()  # type: ignore[assignment]
    figure = CommunityFigureSerializer()


class CommunityBreakdownSerializer(serializers.Serializer[object]):
    name = serializers.CharField(help_text="activity, country, gender, iplc or sector.")
    label = serializers.CharField()  # type: ignore[assignment]
    rows = CommunityRowSerializer(many=True)


class CommunityLineSerializer(serializers.Serializer[object]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    figure = CommunityFigureSerializer()


class CommunityStatisticsSerializer(serializers.Serializer[object]):
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    parties = serializers.ListField(
        child=serializers.CharField(), allow_null=True, help_text="The Parties counted; null for every Party."
    )
    exact = serializers.BooleanField(help_text="Whether small counts of people are shown (the Secretariat).")
    alumni = CommunityFigureSerializer(help_text="Consented alumni who took part in the period, each once.")
    breakdowns = CommunityBreakdownSerializer(many=True)
    network = CommunityLineSerializer(
        many=True, help_text="active_alumni, active_communities, peer_exchanges."
    )
    mentoring = CommunityLineSerializer(many=True, help_text="Relations asked for in the period, by status.")
    ratings = CommunityLineSerializer(
        many=True, help_text="rated, mentee_rating, mentor_rating (averages out of 5)."
    )
    follow_up = CommunityLineSerializer(many=True, help_text="sent, answered, applied_some, applied_much.")

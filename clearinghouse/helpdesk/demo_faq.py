"""Demo FAQ entries: the questions Parties and indigenous peoples and local communities ask the
help desk most, answered in the six languages, written by the demo help-desk agent for the
Secretariat's organisation and published by the Secretariat, through the same workflow as any
record. Idempotent: an entry is found again by its owner and original question.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.db import transaction

from clearinghouse.accounts.demo import demo_person
from clearinghouse.helpdesk.faq import secretariat_organisation
from clearinghouse.helpdesk.models import FaqEntry, HelpTopic
from clearinghouse.publishing import notifications, workflow

# (topic code, original language, question by language, answer by language)
ENTRIES: list[tuple[str, str, dict[str, str], dict[str, str]]] = [
    (
        "needs",
        "en",
        {
            "en": "How does our Party register its capacity-building needs?",
            "fr": "Comment notre Partie enregistre-t-elle ses besoins en renforcement des capacités ?",
            "es": "¿Cómo registra nuestra Parte sus necesidades de creación de capacidad?",
            "ar": "كيف يسجّل طرفنا احتياجاته في مجال بناء القدرات؟",
            "ru": "Как наша Сторона регистрирует свои потребности в создании потенциала?",
            "zh": "我们的缔约方如何登记其能力建设需求？",
        },
        {
            "en": "Your national focal point, or a user they authorise, signs in and opens "
            '"My needs and requests", then "New need". The form follows the common format for '
            "assessing needs; a draft can be saved and finished later, and the form also works offline.",
            "fr": "Votre correspondant national, ou un utilisateur qu'il autorise, se connecte et ouvre "
            "« Mes besoins et demandes », puis « Nouveau besoin ». Le formulaire suit le format commun "
            "d'évaluation des besoins ; un brouillon peut être enregistré et terminé plus tard, et le "
            "formulaire fonctionne aussi hors ligne.",
            "es": "Su punto focal nacional, o un usuario autorizado por él, inicia sesión y abre "
            "«Mis necesidades y solicitudes» y luego «Nueva necesidad». El formulario sigue el formato "
            "común de evaluación de necesidades; puede guardarse un borrador y terminarse más tarde, y "
            "el formulario también funciona sin conexión.",
            "ar": "تسجّل جهة الاتصال الوطنية لديكم، أو مستخدم تأذن له، الدخول وتفتح «احتياجاتي "
            "وطلباتي» ثم «احتياج جديد». يتبع النموذج الصيغة المشتركة لتقييم الاحتياجات؛ ويمكن حفظ "
            "مسودة وإكمالها لاحقًا، كما يعمل النموذج دون اتصال بالإنترنت.",
            "ru": "Ваш национальный координатор или уполномоченный им пользователь входит в систему и "
            "открывает «Мои потребности и запросы», затем «Новая потребность». Форма следует общему "
            "формату оценки потребностей; черновик можно сохранить и закончить позже, а форма "
            "работает и без подключения к интернету.",
            "zh": "贵国的国家联络点或其授权的用户登录后，打开“我的需求和请求”，再点击“新需求”。"
            "表格采用需求评估的通用格式；可以先保存草稿稍后完成，表格也可离线填写。",
        },
    ),
    (
        "needs",
        "fr",
        {
            "fr": "Qui vérifie un besoin avant sa publication ?",
            "en": "Who reviews a need before it is published?",
            "es": "¿Quién revisa una necesidad antes de que se publique?",
            "ar": "من يراجع الاحتياج قبل نشره؟",
            "ru": "Кто проверяет потребность перед её публикацией?",
            "zh": "需求在发布前由谁审核？",
        },
        {
            "fr": "Le correspondant national de la Partie relit chaque besoin soumis : il le publie, ou "
            "le renvoie avec ses commentaires. Les besoins d'une organisation établie dans un pays sont "
            "relus par le correspondant de ce pays ; ceux des organisations internationales, par le "
            "Secrétariat.",
            "en": "The Party's national focal point reviews every need submitted: they publish it, or "
            "return it with comments. Needs of an organisation based in a country are reviewed by that "
            "country's focal point; those of international organisations, by the Secretariat.",
            "es": "El punto focal nacional de la Parte revisa cada necesidad presentada: la publica o "
            "la devuelve con comentarios. Las necesidades de una organización con sede en un país las "
            "revisa el punto focal de ese país; las de organizaciones internacionales, la Secretaría.",
            "ar": "تراجع جهة الاتصال الوطنية للطرف كل احتياج يُقدَّم: فتنشره أو تعيده مع تعليقاتها. "
            "أما احتياجات منظمة مقرها في بلد ما فتراجعها جهة الاتصال في ذلك البلد، واحتياجات المنظمات "
            "الدولية تراجعها الأمانة.",
            "ru": "Национальный координатор Стороны проверяет каждую поданную потребность: публикует "
            "её или возвращает с замечаниями. Потребности организации, находящейся в стране, проверяет "
            "координатор этой страны; потребности международных организаций — Секретариат.",
            "zh": "缔约方的国家联络点审核每一项提交的需求：予以发布，或附意见退回。设在某国的组织的需求"
            "由该国联络点审核；国际组织的需求由秘书处审核。",
        },
    ),
    (
        "needs",
        "es",
        {
            "es": "¿Qué diferencia hay entre una necesidad y una solicitud de asistencia?",
            "en": "What is the difference between a need and a request for assistance?",
            "fr": "Quelle est la différence entre un besoin et une demande d'assistance ?",
            "ar": "ما الفرق بين الاحتياج وطلب المساعدة؟",
            "ru": "Чем потребность отличается от запроса о помощи?",
            "zh": "需求与援助请求有何区别？",
        },
        {
            "es": "Una necesidad describe una carencia de capacidad detectada, por ejemplo en una "
            "evaluación nacional. Una solicitud pide un apoyo concreto para atender una o varias "
            "necesidades publicadas: qué se pide, qué resultados se esperan y en qué modalidad.",
            "en": "A need describes a capacity gap that was found, for example in a national "
            "assessment. A request asks for specific support to address one or more published needs: "
            "what is asked, the results expected and in which form.",
            "fr": "Un besoin décrit un manque de capacités constaté, par exemple lors d'une évaluation "
            "nationale. Une demande sollicite un appui précis pour répondre à un ou plusieurs besoins "
            "publiés : ce qui est demandé, les résultats attendus et sous quelle forme.",
            "ar": "يصف الاحتياج فجوة في القدرات جرى تحديدها، في تقييم وطني مثلًا. أما الطلب فيلتمس دعمًا "
            "محددًا لتلبية احتياج منشور أو أكثر: ما المطلوب، والنتائج المتوقعة، وبأي شكل.",
            "ru": "Потребность описывает выявленный пробел в потенциале, например по итогам "
            "национальной оценки. Запрос просит о конкретной поддержке для удовлетворения одной или "
            "нескольких опубликованных потребностей: что требуется, каких результатов ждут и в какой "
            "форме.",
            "zh": "需求描述已发现的能力差距，例如在国家评估中发现的差距。请求则是为满足一项或多项已发布"
            "的需求而寻求具体支持：要求什么、预期成果以及以何种形式提供。",
        },
    ),
    (
        "partners",
        "en",
        {
            "en": "How does the clearing-house find a partner for our request?",
            "fr": "Comment le centre d'échange trouve-t-il un partenaire pour notre demande ?",
            "es": "¿Cómo encuentra el mecanismo de facilitación un socio para nuestra solicitud?",
            "ar": "كيف تجد آلية تبادل المعلومات شريكًا لطلبنا؟",
            "ru": "Как механизм посредничества находит партнёра для нашего запроса?",
            "zh": "信息交换所如何为我们的请求寻找合作伙伴？",
        },
        {
            "en": "Once your request is published, the platform suggests offers, experts, courses and "
            "events that match it, in every language. The help desk opens a matchmaking case, contacts "
            "the providers and follows the match until both sides confirm it.",
            "fr": "Une fois votre demande publiée, la plateforme propose les offres, experts, cours et "
            "événements qui y correspondent, dans toutes les langues. Le service d'assistance ouvre un "
            "dossier de mise en relation, contacte les fournisseurs et suit la mise en relation "
            "jusqu'à ce que les deux parties la confirment.",
            "es": "Una vez publicada su solicitud, la plataforma sugiere ofertas, expertos, cursos y "
            "eventos que se ajustan a ella, en todos los idiomas. El servicio de asistencia abre un "
            "caso de vinculación, contacta a los proveedores y sigue la vinculación hasta que ambas "
            "partes la confirman.",
            "ar": "بعد نشر طلبكم، تقترح المنصة العروض والخبراء والدورات والفعاليات المطابقة له، بجميع "
            "اللغات. ويفتح مكتب المساعدة ملف توفيق، ويتواصل مع مقدمي الدعم، ويتابع التوفيق حتى يؤكده "
            "الطرفان.",
            "ru": "После публикации запроса платформа предлагает подходящие предложения, экспертов, "
            "курсы и мероприятия на всех языках. Служба поддержки открывает дело о подборе партнёров, "
            "связывается с поставщиками и сопровождает подбор, пока обе стороны его не подтвердят.",
            "zh": "您的请求发布后，平台会以各种语言推荐与之匹配的服务提供、专家、课程和活动。帮助台会"
            "开立一个配对案例，联系提供方，并跟进配对直至双方确认。",
        },
    ),
    (
        "events",
        "ar",
        {
            "ar": "كيف نسجّل في دورة تدريبية أو حلقة عمل؟",
            "en": "How do we register for a training event or workshop?",
            "fr": "Comment s'inscrire à une formation ou à un atelier ?",
            "es": "¿Cómo nos inscribimos en una formación o un taller?",
            "ru": "Как зарегистрироваться на тренинг или семинар?",
            "zh": "如何报名参加培训活动或研讨会？",
        },
        {
            "ar": "افتحوا صفحة الفعالية من قائمة الفعاليات واضغطوا «التسجيل». تحتاج بعض الفعاليات إلى "
            "موافقة المنظِّم أو إلى ترشيح من جهة الاتصال الوطنية؛ وتصلكم رسالة بريد إلكتروني عند "
            "قبول تسجيلكم.",
            "en": 'Open the event\'s page from the list of events and press "Register". Some events '
            "need the organiser's approval or a nomination by the national focal point; you receive "
            "an e-mail once your registration is accepted.",
            "fr": "Ouvrez la page de l'événement depuis la liste des événements et cliquez sur "
            "« S'inscrire ». Certains événements demandent l'accord de l'organisateur ou une "
            "désignation par le correspondant national ; vous recevez un courriel une fois votre "
            "inscription acceptée.",
            "es": "Abra la página del evento desde la lista de eventos y pulse «Inscribirse». Algunos "
            "eventos requieren la aprobación del organizador o una nominación del punto focal "
            "nacional; recibirá un correo electrónico cuando se acepte su inscripción.",
            "ru": "Откройте страницу мероприятия из списка мероприятий и нажмите "
            "«Зарегистрироваться». Для некоторых мероприятий нужно одобрение организатора или "
            "выдвижение национальным координатором; после принятия регистрации вы получите письмо.",
            "zh": "从活动列表中打开活动页面，点击“报名”。部分活动需经组织方批准或由国家联络点提名；"
            "报名被接受后，您会收到电子邮件。",
        },
    ),
    (
        "courses",
        "ru",
        {
            "ru": "Бесплатны ли онлайн-курсы и выдаётся ли сертификат?",
            "en": "Are the online courses free, and do we receive a certificate?",
            "fr": "Les cours en ligne sont-ils gratuits, et reçoit-on un certificat ?",
            "es": "¿Son gratuitos los cursos en línea y se recibe un certificado?",
            "ar": "هل الدورات الإلكترونية مجانية، وهل نحصل على شهادة؟",
            "zh": "在线课程是否免费？能否获得证书？",
        },
        {
            "ru": "Да, все курсы платформы бесплатны. Пройдя все модули и тесты курса, вы получаете "
            "сертификат, подлинность которого любой может проверить по ссылке на нём.",
            "en": "Yes, every course of the platform is free. Once you complete a course's modules "
            "and quizzes you receive a certificate, which anyone can verify through the link on it.",
            "fr": "Oui, tous les cours de la plateforme sont gratuits. Une fois les modules et les "
            "quiz d'un cours terminés, vous recevez un certificat que chacun peut vérifier grâce au "
            "lien qui y figure.",
            "es": "Sí, todos los cursos de la plataforma son gratuitos. Al completar los módulos y "
            "cuestionarios de un curso recibe un certificado, que cualquiera puede verificar mediante "
            "el enlace que figura en él.",
            "ar": "نعم، جميع دورات المنصة مجانية. وعند إكمال وحدات الدورة واختباراتها تحصلون على "
            "شهادة يمكن لأي شخص التحقق منها عبر الرابط الوارد فيها.",
            "zh": "是的，平台上的所有课程均免费。完成课程的全部单元和测验后，您将获得证书，任何人都"
            "可以通过证书上的链接进行验证。",
        },
    ),
    (
        "platform",
        "es",
        {
            "es": "¿Puede una organización de pueblos indígenas y comunidades locales registrar sus "
            "propias necesidades?",
            "en": "Can an organisation of indigenous peoples and local communities register its own needs?",
            "fr": "Une organisation de peuples autochtones et de communautés locales peut-elle "
            "enregistrer ses propres besoins ?",
            "ar": "هل يمكن لمنظمة من منظمات الشعوب الأصلية والمجتمعات المحلية أن تسجّل احتياجاتها بنفسها؟",
            "ru": "Может ли организация коренных народов и местных общин сама регистрировать свои "
            "потребности?",
            "zh": "土著人民和地方社区组织能否自行登记其需求？",
        },
        {
            "es": "Sí. El representante de la organización, designado por la Secretaría, registra sus "
            "necesidades y solicitudes en nombre de la organización. Escriba al servicio de asistencia "
            "para obtener esa función.",
            "en": "Yes. The organisation's representative, appointed by the Secretariat, registers "
            "needs and requests on the organisation's behalf. Write to the help desk to be given that "
            "role.",
            "fr": "Oui. Le représentant de l'organisation, désigné par le Secrétariat, enregistre ses "
            "besoins et demandes au nom de l'organisation. Écrivez au service d'assistance pour "
            "obtenir ce rôle.",
            "ar": "نعم. يسجّل ممثل المنظمة، الذي تعيّنه الأمانة، الاحتياجات والطلبات نيابةً عن المنظمة. "
            "راسلوا مكتب المساعدة للحصول على هذا الدور.",
            "ru": "Да. Представитель организации, назначенный Секретариатом, регистрирует потребности "
            "и запросы от её имени. Напишите в службу поддержки, чтобы получить эту роль.",
            "zh": "可以。由秘书处任命的组织代表以该组织的名义登记需求和请求。请致函帮助台申请该角色。",
        },
    ),
    (
        "platform",
        "zh",
        {
            "zh": "我们可以用哪些语言填写记录？",
            "en": "In which languages can we write our records?",
            "fr": "Dans quelles langues peut-on rédiger ses fiches ?",
            "es": "¿En qué idiomas podemos redactar nuestros registros?",
            "ar": "بأي اللغات يمكننا كتابة سجلاتنا؟",
            "ru": "На каких языках можно заполнять записи?",
        },
        {
            "zh": "可使用联合国六种语言中的任何一种：阿拉伯文、中文、英文、法文、俄文和西班牙文。记录"
            "以您选择的语言保存，之后可添加译文；读者会看到其所用语言的版本，若尚无译文，则看到原文。",
            "en": "Any of the six UN languages: Arabic, Chinese, English, French, Russian and Spanish. "
            "A record keeps the language you chose and translations can be added later; readers see "
            "their own language, or the original where no translation exists yet.",
            "fr": "Dans l'une des six langues de l'ONU : anglais, arabe, chinois, espagnol, français et "
            "russe. Une fiche garde la langue choisie et des traductions peuvent être ajoutées plus "
            "tard ; chaque lecteur voit sa langue, ou l'original si aucune traduction n'existe encore.",
            "es": "En cualquiera de los seis idiomas de las Naciones Unidas: árabe, chino, español, "
            "francés, inglés y ruso. Un registro conserva el idioma elegido y pueden añadirse "
            "traducciones más tarde; cada lector ve su idioma, o el original si aún no hay traducción.",
            "ar": "بأي من لغات الأمم المتحدة الست: الإسبانية والإنكليزية والروسية والصينية والعربية "
            "والفرنسية. ويحتفظ السجل باللغة التي اخترتموها ويمكن إضافة الترجمات لاحقًا؛ ويرى كل قارئ "
            "لغته، أو النص الأصلي إن لم تتوفر ترجمة بعد.",
            "ru": "На любом из шести языков ООН: английском, арабском, испанском, китайском, русском и "
            "французском. Запись сохраняет выбранный язык, а переводы можно добавить позже; читатель "
            "видит свой язык или оригинал, если перевода ещё нет.",
        },
    ),
]


def _find(owner: Any, language: str, question: str) -> FaqEntry | None:
    for entry in FaqEntry.objects.filter(owner_organisation=owner, original_language=language):
        if (entry.question or {}).get(language) == question:
            return entry
    return None


@transaction.atomic
def load_faq() -> list[FaqEntry]:
    """The demo FAQ entries, published (those already there are left as they are)."""
    owner = secretariat_organisation()
    if owner is None:
        raise CommandError(
            "The Secretariat's organisation (SCBD) is missing: run `clearinghouse loadreference`."
        )
    author, reviewer = demo_person("helpdesk"), demo_person("secretariat")
    topics = {topic.code: topic for topic in HelpTopic.objects.all()}
    entries = []
    for code, language, question, answer in ENTRIES:
        found = _find(owner, language, question[language])
        if found is None:
            # Published by the Secretariat in one go: news to nobody.
            with notifications.quiet():
                found = workflow.create(
                    FaqEntry,
                    actor=author,
                    owner=owner,
                    values={
                        "original_language": language,
                        "question": question,
                        "answer": answer,
                        "topic": topics.get(code),
                    },
                )
                workflow.submit(found, actor=author)
                found = workflow.publish(found, actor=reviewer)
        entries.append(found)
    return entries

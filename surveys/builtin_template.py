"""The built-in paired template of Symétrie (see DESIGN.md, "The built-in paired template").

The same questions are asked, mirrored, to a team's employees and to that team's clients:

- eleven mirrored dimensions, one agreement statement each (1–5 scale plus "don't know"):
  the employee statement is about how the company or the manager treats the employee, the
  client statement is the same idea about how the team treats the client;
- ``recommend`` (0–10): eNPS on the employee side ("recommend as a place to work"),
  NPS on the client side ("recommend to a friend or colleague");
- ``perceived_other`` (1–5): employees judge how well their team serves its clients,
  clients judge how well the staff they met seem to be treated by their employer;
- ``comment``: an optional free-text question.

The codes (dimension and question codes) are part of the import/export contract: never
rename them. Wordings may be polished; a campaign keeps its own frozen copy of them.

French: employee statements in the first person (« je »), client statements address the
client (« vous »); questions (recommend, comment) use « vous » on both sides. A no-break
space (U+00A0) precedes the French question mark.

This module is plain data, with no Django import, so that it can be read by migrations,
management commands and tests alike.
"""

DIMENSIONS = (
    {"code": "autonomy", "name_fr": "autonomie et initiative", "name_en": "autonomy"},
    {"code": "support", "name_fr": "compétence et soutien", "name_en": "skills and support"},
    {"code": "courtesy", "name_fr": "comportement et savoir-vivre", "name_en": "courtesy"},
    {"code": "listening", "name_fr": "écoute et feedback", "name_en": "listening and feedback"},
    {"code": "consideration", "name_fr": "considération", "name_en": "consideration"},
    {"code": "cooperation", "name_fr": "coopération", "name_en": "cooperation"},
    {
        "code": "environment",
        "name_fr": "engagement pour l’environnement",
        "name_en": "environmental commitment",
    },
    {
        "code": "adaptability",
        "name_fr": "facilitation et adaptabilité",
        "name_en": "ease and adaptability",
    },
    {
        "code": "human_digital",
        "name_fr": "harmonie humain / digital",
        "name_en": "human / digital balance",
    },
    {"code": "trust", "name_fr": "relation de confiance", "name_en": "trust"},
    {"code": "values", "name_fr": "valeurs", "name_en": "values"},
)

NPS_CODE = "recommend"

MIRRORED_CODES = tuple(dimension["code"] for dimension in DIMENSIONS)

ITEMS = (
    {
        "code": "autonomy",
        "dimension": "autonomy",
        "kind": "likert",
        "required": True,
        "employee_fr": "Je peux prendre des initiatives dans mon travail.",
        "employee_en": "I can take initiatives in my work.",
        "client_fr": "Le personnel prend des initiatives pour résoudre votre problème.",
        "client_en": "The staff take initiatives to solve my problem.",
    },
    {
        "code": "support",
        "dimension": "support",
        "kind": "likert",
        "required": True,
        "employee_fr": (
            "Je reçois le soutien et la formation nécessaires pour bien faire mon travail."
        ),
        "employee_en": "I get the support and training I need to do my job well.",
        "client_fr": "Le personnel est compétent et vous apporte l’aide dont vous avez besoin.",
        "client_en": "The staff are competent and give me the help I need.",
    },
    {
        "code": "courtesy",
        "dimension": "courtesy",
        "kind": "likert",
        "required": True,
        "employee_fr": "Mon responsable et mes collègues me traitent avec courtoisie et respect.",
        "employee_en": "My manager and colleagues treat me with courtesy and respect.",
        "client_fr": "Le personnel vous traite avec courtoisie et respect.",
        "client_en": "The staff treat me with courtesy and respect.",
    },
    {
        "code": "listening",
        "dimension": "listening",
        "kind": "likert",
        "required": True,
        "employee_fr": "Mon responsable m’écoute et tient compte de mes remarques.",
        "employee_en": "My manager listens to me and takes my remarks into account.",
        "client_fr": "Le personnel vous écoute et tient compte de vos remarques.",
        "client_en": "The staff listen to me and take my remarks into account.",
    },
    {
        "code": "consideration",
        "dimension": "consideration",
        "kind": "likert",
        "required": True,
        "employee_fr": "L’entreprise me montre que je compte à ses yeux.",
        "employee_en": "The company shows me that I matter to it.",
        "client_fr": "Le personnel vous montre que vous comptez à ses yeux.",
        "client_en": "The staff show me that I matter to them.",
    },
    {
        "code": "cooperation",
        "dimension": "cooperation",
        "kind": "likert",
        "required": True,
        "employee_fr": "Les autres équipes coopèrent volontiers quand j’ai besoin de leur aide.",
        "employee_en": "The other teams cooperate readily when I need their help.",
        "client_fr": (
            "Les équipes se coordonnent entre elles pour que vous n’ayez pas à répéter "
            "votre demande."
        ),
        "client_en": "The staff work together so that I do not have to repeat my request.",
    },
    {
        "code": "environment",
        "dimension": "environment",
        "kind": "likert",
        "required": True,
        "employee_fr": (
            "L’entreprise me donne les moyens de travailler en respectant l’environnement."
        ),
        "employee_en": "The company gives me the means to work in an environmentally friendly way.",
        "client_fr": "Le personnel vous propose des solutions respectueuses de l’environnement.",
        "client_en": "The staff offer me options that are better for the environment.",
    },
    {
        "code": "adaptability",
        "dimension": "adaptability",
        "kind": "likert",
        "required": True,
        "employee_fr": "L’entreprise s’adapte à ma situation et me facilite le travail.",
        "employee_en": "The company adapts to my situation and makes my work easier.",
        "client_fr": "Le personnel s’adapte à votre situation et vous simplifie les démarches.",
        "client_en": "The staff adapt to my situation and make things easy for me.",
    },
    {
        "code": "human_digital",
        "dimension": "human_digital",
        "kind": "likert",
        "required": True,
        "employee_fr": (
            "Les outils numériques mis à ma disposition m’aident sans remplacer le contact humain."
        ),
        "employee_en": "The digital tools I am given help me without replacing human contact.",
        "client_fr": (
            "Les services en ligne vous aident, et vous pouvez joindre facilement une "
            "personne si besoin."
        ),
        "client_en": "The online services help me, and I can easily reach a person when needed.",
    },
    {
        "code": "trust",
        "dimension": "trust",
        "kind": "likert",
        "required": True,
        "employee_fr": (
            "Je peux faire confiance à l’entreprise pour tenir ses engagements envers moi."
        ),
        "employee_en": "I can trust the company to keep its commitments to me.",
        "client_fr": (
            "Vous pouvez faire confiance au personnel pour tenir ses engagements envers vous."
        ),
        "client_en": "I can trust the staff to keep their commitments to me.",
    },
    {
        "code": "values",
        "dimension": "values",
        "kind": "likert",
        "required": True,
        "employee_fr": (
            "La façon dont l’entreprise me traite correspond aux valeurs qu’elle affiche."
        ),
        "employee_en": "The way the company treats me matches the values it claims.",
        "client_fr": (
            "La façon dont le personnel vous traite correspond aux valeurs affichées par "
            "l’entreprise."
        ),
        "client_en": "The way the staff treat me matches the values the company claims.",
    },
    {
        "code": "recommend",
        "dimension": None,
        "kind": "nps",
        "required": True,
        "employee_fr": (
            "Quelle est la probabilité que vous recommandiez l’entreprise comme employeur "
            "à un proche\u00a0?"
        ),
        "employee_en": (
            "How likely are you to recommend the company as a place to work to a friend?"
        ),
        "client_fr": (
            "Quelle est la probabilité que vous recommandiez l’entreprise à un proche ou "
            "à un collègue\u00a0?"
        ),
        "client_en": "How likely are you to recommend the company to a friend or colleague?",
    },
    {
        "code": "perceived_other",
        "dimension": None,
        "kind": "likert",
        "required": True,
        "employee_fr": "Mon équipe sert bien ses clients.",
        "employee_en": "My team serves its clients well.",
        "client_fr": "Le personnel que vous avez rencontré semble bien traité par son employeur.",
        "client_en": "The staff I dealt with seem to be well treated by their employer.",
    },
    {
        "code": "comment",
        "dimension": None,
        "kind": "text",
        "required": False,
        "employee_fr": (
            "Avez-vous une suggestion ou une remarque pour améliorer votre quotidien au "
            "travail\u00a0?"
        ),
        "employee_en": "Do you have a suggestion or remark to improve your day-to-day work?",
        "client_fr": (
            "Avez-vous une suggestion ou une remarque pour améliorer le service que vous "
            "recevez\u00a0?"
        ),
        "client_en": "Do you have a suggestion or remark to improve the service you receive?",
    },
)


def item_codes():
    """Return the question codes of the template, in order."""
    return tuple(item["code"] for item in ITEMS)

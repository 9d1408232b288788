"""Named patterns for how forces phrase answers. Each pattern's name becomes ``Finding.rule``.

These describe general phrasing ("does not use", "no information held", "neither confirm nor
deny", "no plans to"), not the sentences of any particular reply.
"""

from __future__ import annotations

import re

from .gate import gated

I = re.IGNORECASE

# --- use ------------------------------------------------------------------------------------

USE_VERBS = (r"use|used|using|utili[sz]e|utili[sz]ed|utili[sz]ing|deploy|deployed|deploying|operate|operated|operating"
             r"|employ|employed|trial|trialled|trialed|trialling|pilot|piloted|piloting|tested|adopted|own|owns|possess|procured|purchased"
             r"|make\s+use\s+of|made\s+use\s+of|have\s+access\s+to|had\s+access\s+to")
# "does not use", "has not trialled or used", "do not currently deploy", "have never used".
DENIAL = gated(
    rf"\b(?:do|does|did|have|has|had|is|are|was|were|will)\s*(?:not|n['’]t)\s+(?:\w+ly\s+)?(?:(?:been|got|yet|ever)\s+)?"
    rf"(?:(?:{USE_VERBS})\s+(?:or|and|nor|and/or)\s+)?(?:{USE_VERBS})\b"
    rf"|\bnever\s+(?:been\s+)?(?:{USE_VERBS})\b"
    rf"|\b(?:{USE_VERBS}|uses|deploys|operates|employs|utili[sz]es)\s+neither\b"
    r"|\bnot\s+(?:currently\s+)?(?:in\s+use|used|deployed|utili[sz]ed|operational)\b"
    r"|\bno\s+(?:use|deployments?|trials?)\s+(?:of|has|have|was|were)\b"
    r"|\b(?:does|do)\s+not\s+(?:currently\s+)?have\s+(?:any\s+)?(?:facial|face|live|retrospective|operator|the\s+capability|access)"
    r"|\b(?:has|have)\s+no\s+(?!(?:current\s+|future\s+|immediate\s+)?(?:plans?|intention|proposals?)\b)(?:\w+\s+){0,4}?"
    r"(?:capability|capacity|system|systems|software|technology|access)\b"
    r"|\bno\s+(?:\w+\s+){0,4}?(?:system|software|technology|capability)\s+(?:is|are|has\s+been)\s+(?:in\s+use|used|deployed|held|owned)\b"
    r"|\bnot\s+something\s+(?:that\s+)?(?:the\s+force|we|the\s+constabulary|it)\s+(?:currently\s+)?(?:uses?|deploys?|has\s+used|employs?|operates?)\b"
    # "is not a tactic used by this force", "not a capability currently available to", "not a tool the force employs"
    r"|\bnot\s+(?:a|an)\s+(?:\w+\s+)?(?:tactic|tool|capability|technology|system|option|resource)\s+(?:that\s+|which\s+)?"
    r"(?:is\s+)?(?:currently\s+)?(?:(?:used|deployed|employed|utili[sz]ed|operated|available)\b"
    r"|(?:the\s+force|we|the\s+constabulary|it)\s+(?:currently\s+)?(?:uses?|deploys?|employs?|operates?|has)\b)"
    # "there are no facial recognition systems in use"
    r"|\bno\s+(?:\w+\s+){0,4}?(?:systems?|software|technology|capability|cameras?|vans?)\s+(?:currently\s+)?(?:in\s+use|in\s+operation|deployed)\b"
    # "neither live nor retrospective facial recognition is used", "neither LFR nor RFR has been deployed"
    r"|\bneither\b[^.;]{0,80}?\bnor\b[^.;]{0,80}?\b(?:is|are|was|were|has\s+been|have\s+been)\s+(?:\w+ly\s+)?"
    r"(?:used|deployed|utili[sz]ed|operated|employed|trialled|trialed)\b",
    I,
)
# "The force uses ...", "we have deployed ...", "LFR was deployed ...".
AFFIRM_ACTIVE = gated(
    rf"\b(?:(?i:we|the\s+force|this\s+force|the\s+constabulary|the\s+service|(?:confirms?|can\s+confirm)\s+(?:that\s+)?it"
    rf"|(?:our\s+|its\s+|force\s+)?(?:officers|investigators|detectives|analysts|operators))"
    rf"|(?!(?:LFR|RFR|AFR|FRT|OIFR|PND|CCTV|BWV|DPIA|FOI|FOIA|ICO|CAID|NEC)\b)[A-Z]{{2,5}}"
    rf"|(?:[A-Z][\w&'’-]*\s+){{1,4}}(?:Police|Constabulary|Police\s+Service)|Police\s+Scotland|Police\s+Service\s+of\s+Northern\s+Ireland)"
    rf"\s+(?i:(?:\w+ly\s+)?(?:(?:do|does|has|have|had|did|is|are|was|were|will)\s+(?:\w+ly\s+)?(?:been\s+)?)?"
    rf"(?:{USE_VERBS}|uses|deploys|operates|utili[sz]es|employs|conducts?|conducted|carr(?:y|ies)\s+out|carried\s+out|undertakes?|undertook"
    rf"|(?:began|started|commenced)\s+(?:using|deploying|trialling|trialing|operating|piloting|to\s+(?:use|deploy|trial|operate|pilot))"
    rf"|introduced|rolled\s+out|runs?|access\s+to|makes\s+use\s+of|went\s+live\s+with))\b",
    re.UNICODE,
)
AFFIRM_PASSIVE = gated(
    r"\b(?i:(?:is|are|was|were|has\s+been|have\s+been|had\s+been)\s+(?:\w+ly\s+)?(?:used|deployed|utili[sz]ed|trialled|trialed|operated|conducted|carried\s+out))\b"
    r"|\b(?i:(?:is|are)\s+(?:\w+ly\s+)?available\s+to\s+(?:all\s+|our\s+|its\s+)?(?:the\s+force|officers|staff|us|investigators))\b"
    r"|\b(?i:(?:used|deployed|operated|utili[sz]ed|run)\s+by\s+)(?:(?i:the\s+force|this\s+force|us|the\s+constabulary)|(?:[A-Z][\w&'’-]*\s+){1,4}(?:Police|Constabulary))",
    re.UNICODE,
)
# A passive statement with the force's own circumstances and no other agent, in the force's reply:
# "LFR has been used at two football matches this season", "was utilised at 9 events across the
# county". Said of policing in general ("by forces in England", "nationally") it is not the force's.
MONTHS = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
OWN_CIRCUMSTANCES = gated(
    r"\b(?:on|at|in|during|for)\s+(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|several|a\s+number\s+of)\s+"
    r"(?:\w+\s+)?(?:occasions|events|dates|times|deployments|locations|matches|operations)\b"
    r"|\b(?:this|last)\s+(?:year|season|month|week|spring|summer|autumn|winter)\b"
    rf"|\bon\s+\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}\b|\bon\s+{MONTHS}\s+\d{{1,2}}\b"
    rf"|\bsince\s+(?:\d{{4}}|{MONTHS})\b|\bin\s+(?:(?:early|late)\s+)?(?:\d{{4}}|{MONTHS})\b"
    r"|\bacross\s+the\s+(?:county|force\s+area|region|city)\b|\b(?:the|our)\s+(?:town|city)\s+centres?\b", I)
GENERAL_SCOPE = gated(r"\bforces\b|\bnational(?:ly)?\b|\bacross\s+the\s+(?:UK|country)\b|\bin\s+(?:England|Wales|Scotland|the\s+UK"
                      r"|the\s+United\s+Kingdom|Britain)\b|\belsewhere\b|\bother\b|\bby\s+(?!the\s+force|us\b|officers)", I)
# The force speaks of its own system: "our LFR vans", "the force's retrospective facial recognition capability".
OWN_SYSTEM = gated(r"\b(?:our|the\s+force['’]s|the\s+constabulary['’]s)\s+(?:\w+\s+){0,5}?(?:system|capability|vans?|software"
                   r"|programme|operations?|team|cameras?|deployments?)\b", I)
# "The force's use of LFR is governed by ...": its use, presupposed. Not when the sentence is about
# information on that use ("holds information about its use of RFR", which may be withheld).
OWN_USE_OF = gated(r"\b(?:our|the\s+force['’]s|the\s+constabulary['’]s)\s+use\s+of\b", I)
INFORMATION_ABOUT = gated(r"\binformation\s+(?:\w+\s+)?(?:about|on|regarding|relating\s+to|concerning|in\s+relation\s+to)\b", I)
# The force's own words presuppose use (corpus rule 4): "each deployment", "our LFR deployments",
# "1,234 searches were conducted".
OWN_DEPLOYMENTS = gated(
    r"\b(?:each|every|our|the\s+force['’]s|previous|recent|total|all|these|those|\d[\d,]*)\s+(?:\w+\s+){0,6}?"
    r"(?:deployments?|searches|search(?:es)?\s+(?:were|was)|alerts|matches|operations)\b"
    r"|\b(?:deployments?|searches)\b[^.]{0,60}\b(?:were|was|have\s+been|has\s+been)\s+(?:conducted|carried\s+out|undertaken|made)\b"
    r"|\b(?:deployments?)\s+(?:over|during|in)\s+the\s+(?:previous|last|past)\b",
    I,
)
# A count of the force's own searches or deployments ("Searches submitted in 2022: 164"). Years
# and hours are not counts.
COUNTED = gated(r"\b(?:searches|deployments|deployed|occasions|matches|alerts|times|submissions|submitted|uses)\b", I)
POSITIVE_COUNT = re.compile(r"(?<![\d£$.,/])(?<!last )(?<!past )(?<!previous )(?<!next )(?<!first )(?<!Q)(?<!question )"
                            r"(?!(?:19|20)\d\d\b)(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?![\d/.:])"
                            # a day of the month is a date, not a count: "on 12 October"
                            rf"(?!(?:st|nd|rd|th)?\s+{MONTHS}\b)"
                            r"(?!\s*(?:hours?|days?|working|minutes?|%|per\s*cent|years?|months?|weeks?|am|pm)\b)", I)
# People trained to use it: "120 officers have been trained and authorised to use the OIFR app".
TRAINED_USERS = gated(r"\b(?:[1-9][\d,]*|all|several|a\s+number\s+of)\s+(?:\w+\s+){0,2}?(?:officers|staff|users|investigators"
                      r"|operators|analysts|members\s+of\s+staff|personnel)\b[^.]{0,40}?\b(?:trained|authori[sz]ed|licensed"
                      r"|accredited|approved)\b", I)
# The force describing how it runs a national facility: "follows the national guidance on facial
# image searches of the PND, which it runs to identify unknown suspects".
NATIONAL_FACILITY_USE = gated(r"\b(?:follows?|adheres?\s+to|complies\s+with|in\s+line\s+with|in\s+accordance\s+with)\s+"
                              r"(?:the\s+)?(?:national|college\s+of\s+policing|home\s+office|npcc)\s+(?:\w+\s+){0,3}?"
                              r"(?:guidance|guidelines|policy|procedures?|practice)\b[^.]{0,80}\b(?:which|that)\s+(?:it|we|the\s+force)\s+"
                              r"(?:runs?|uses?|conducts?|carries\s+out|undertakes?|makes?)\b", I)
# Details that exist only where a technology is used: the range of its cameras, its watchlist, who
# authorises deployments, its deployment records.
DETAIL_OF_USE = gated(r"\b(?:range|distance|field\s+of\s+view|watch\s*lists?|authoris\w+|authoriz\w+|deployment\s+(?:records|logs"
                      r"|locations|dates)|locations?\s+of\s+(?:the\s+)?deployments?|community\s+impact\s+assessments?"
                      r"|cancellation\s+forms?|alerts?\s+generated|hardware|camera\s+specification)\b", I)
NEGATION = gated(r"\b(?:not|no|never|none|neither|nor|nil|zero|cannot|n['’]t)\b", I)
# Words that make a sentence conditional or about confirming/denying rather than a statement.
HYPOTHETICAL = gated(r"\b(?:if|whether|would|could|might|may|should|potential(?:ly)?|confirm(?:ing)?\s+(?:or|nor)\s+den\w*"
                     r"|denying|to\s+confirm|neither\s+confirm\w*"
                     r"|any|hypothetical|in the event|such as|e\.g\.|for example|another\s+force|other\s+forces)\b", I)
# Harm-test reasoning ("to confirm or deny that the force does or does not use facial recognition
# would reveal...") talks about answers without giving one.
SPECULATIVE = gated(r"\b(?:whether|if|confirm\w*\s+(?:or|nor)\s+den\w*|confirmation\s+or\s+denial|were\s+to|or\s+not"
                    r"|does\s+or\s+does\s+not|do\s+or\s+do\s+not|has\s+or\s+has\s+not|forces)\b", I)
WOULD_HARM = gated(r"\bwould\s+(?:\w+\s+)?(?:reveal|show|enable|allow|indicate|confirm|undermine|compromise|assist|provide|highlight"
                   r"|disclose|prejudice|harm)\b", I)
HARM_SUBJECT = re.compile(r"^(?:confirming|denying|to\s+confirm|to\s+deny|stating|revealing|disclosing|to\s+disclose|to\s+state)\b", I)


def speculative(clause: str, end: int) -> bool:
    """Harm-test reasoning around a statement: "to confirm or deny whether the force does or does
    not use X would reveal...", "confirming that the force does not use X would show...". Only
    the words up to the statement count, so "we do not use X, and if this changes..." stands."""
    return bool(SPECULATIVE.search(clause[:end + 20]) or WOULD_HARM.search(clause) or HARM_SUBJECT.match(clause))
# Who did it, for passive statements: "LFR has been used" alone may describe policing in general.
OWN_AGENT = gated(r"\b(?:(?i:we|our|us|the\s+force|this\s+force|the\s+constabulary)|[A-Z]\w+\s+(?:Police|Constabulary))\b")
# Restrictions that leave the overt answer standing: "we do not use facial recognition overtly".
OVERT = gated(r"\bovert(?:ly)?\b|\bovert\s+(?:capacity|policing|use|basis)\b", I)
COVERT = gated(r"\bcovert(?:ly)?\b", I)

# --- neither confirm nor deny ----------------------------------------------------------------

NCND = gated(r"neither\s+confirm\w*\s+n?or\s+den(?:y|ies|ying)|\bNCND\b"
             r"|\b(?:unable\s+to|not\s+able\s+to|cannot|can\s*not|will\s+not)\s+(?:either\s+)?confirm\s+or\s+deny\b", I)
# An NCND limited to covert use, to "any further/other" information, or to cost (s12(2)) does
# not answer the overt use question (corpus rule 3).
NCND_NARROW = gated(
    r"\b(?:regards?\s+to|relation\s+to|respect\s+(?:of|to)|regarding|concerning|about|relating\s+to|in\s+terms\s+of|for|any|the|on)"
    r"\s+(?:any\s+|the\s+)?covert\w*|\bcovert(?:ly)?\s+(?:use|usage|deploy\w*|capabilit\w*|policing|basis|purposes?|activit\w*)\b"
    r"|\bused\s+covertly\b|\b(?:uses?|using|deploy\w*|employ\w*|utili[sz]\w*)\s+(?:[\w-]+\s+){0,5}?covertly\b"
    r"|\bany\s+(?:further|other|additional)\b|\bfurther\s+information\b|\badditional\s+information\b"
    r"|\bcost\b|\bappropriate\s+limit\b|\b18\s+hours\b|\bsection\s+12\b|\bs\.?\s?12\b|\bpartial(?:ly)?\b", I)
# An NCND on "the information requested" as a whole (not on some other object).
NCND_WHOLE = gated(
    r"\b(?:any\s+)?information\s+(?:is\s+|was\s+)?held\b(?!\s+(?:about|regarding|on|concerning)\b)"
    r"|\bholds?\s+(?:any\s+|the\s+)?(?:recorded\s+)?information\s*(?:[.,;]|$|(?:relevant|relating|pertaining)\s+to\s+(?:your|this|the)\s+request"
    r"|(?:you\s+)?(?:have\s+)?(?:requested|require|seek|sought|asked\s+for))"
    r"|\binformation\s+(?:relevant|relating|pertaining)\s+to\s+(?:your|this|the)\s+request"
    r"|\bthe\s+information\s+(?:you\s+)?(?:have\s+)?(?:requested|require|seek|sought|asked\s+for)\b", I)

# --- not held ------------------------------------------------------------------------------

NOT_HELD = gated(
    r"\bno\s+(?:relevant\s+|recorded\s+|such\s+|further\s+)?information\s+(?:is\s+|was\s+|has\s+been\s+)?(?:held|found|located|recorded)\b"
    r"|\binformation\b[^.]{0,60}?\b(?:is|was|are)\s+not\s+held\b|\bnot\s+held\b"
    r"|\b(?:do|does|did)\s+not\s+hold\s+(?:any\s+)?(?:recorded\s+|relevant\s+|the\s+|this\s+|such\s+)?(?:information|records?|data|documents?)"
    r"|\bholds?\s+no\s+(?:recorded\s+|relevant\s+)?(?:information|records?|data)\b|\bnil\s+return\b"
    r"|\bno\s+(?:records?|data)\s+(?:is|are|was|were)\s+held\b"
    r"|\bno\s+(?:\w+\s+)?information\b[^.]{0,80}?\b(?:was|were|has\s+been|could\s+be)\s+(?:held|found|located|identified|recorded)\b",
    I,
)
GENERIC_INFORMATION = gated(r"\b(?:the|this|that|any|no|such)\s+(?:\w+\s+){0,2}information\b|\bnot\s+held\b", I)
HELD_CONFIRMED = gated(r"\binformation\b[^.]{0,60}\b(?:is|are)\s+held\b|\bholds?\s+(?:some\s+of\s+)?the\s+information\b"
                       r"|\bheld\s+in\s+part\b", I)

# --- withheld --------------------------------------------------------------------------------

WITHHELD = gated(
    r"\bwithheld\b|\bwithhold(?:ing)?\b|\bexempt\b|\bexemption\b[^.]{0,40}\bappl|\brefus\w*\b"
    r"|\bnot\s+(?:be\s+|being\s+|been\s+)?(?:disclosed|released|provided|published|disclosing|releasing|providing)\b"
    r"|\bdecline\w*\s+to\b|\b(?:unable|not\s+able)\s+to\s+(?:provide|disclose|release|share|supply)\b"
    r"|\b(?:section|s)\s*\d+(?:\(\d\))?[^.]{0,30}\bappl(?:y|ies)\b|\bredacted\s+in\s+full\b", I)
FUTURE_PUBLICATION = gated(r"\bfuture\s+publication\b|\bintended\s+for\s+publication\b|\bwill\s+be\s+published\b"
                           r"|\b(?:due|intended|planned|scheduled)\s+to\s+be\s+published\b", I)

# --- planned ---------------------------------------------------------------------------------

PLAN_NEGATIVE = gated(
    r"\bno\s+(?:\w+\s+){0,2}(?:plans?|intentions?|proposals?)\b|\b(?:not|no\s+longer)\s+(?:currently\s+)?(?:planning|intending|proposing)\b"
    r"|\b(?:do|does|did|has|have)\s+not\s+(?:currently\s+)?(?:plan|intend|propose)\w*\b|\bnot\s+(?:currently\s+)?(?:being\s+)?considered\b"
    r"|\bnot\s+(?:currently\s+|yet\s+)?(?:have|got)\s+(?:any\s+)?(?:plans?|intention|proposals?)\b",
    I,
)
PLAN_POSITIVE = gated(
    r"\b(?:plans?|planning|intends?|intending|intention|proposes?|proposal|will\s+be|is\s+going|are\s+going)\s+(?:is\s+)?to\s+"
    r"(?:introduce|use|deploy|roll|trial|implement|expand|extend|adopt|procure|begin|start|pilot)\w*"
    r"|\bwill\s+(?:be\s+)?(?:introduc|deploy|roll|trial|implement|expand|extend|adopt|procur|pilot)\w*"
    r"|\bwill\s+(?:begin|start|commence)\s+(?:using|deploying|trialling|to\s+(?:use|deploy|trial))\b"
    r"|\bin\s+the\s+process\s+of\s+(?:procuring|introducing|implementing|rolling\s+out|acquiring|purchasing)\b"
    r"|\b(?:is|are)\s+due\s+to\s+(?:go\s+live|be\s+(?:introduced|deployed|implemented|rolled\s+out)|start|begin)\b"
    r"|\bplanned\s+(?:deployments?|introduction|roll[\s-]?out|trials?|use)\b",
    I,
)
PLAN_WORDS = gated(r"\bplan\w*|\bintend\w*|\bintention|\bfuture\b|\bpropos\w+", I)

# --- governance documents --------------------------------------------------------------------

DOC_PROVIDED = gated(
    r"\battached\b|\benclosed\b|\bplease\s+find\b|\b(?:is|are|has\s+been|have\s+been|was|were)\s+(?:\w+ly\s+)?"
    r"(?:provided|disclosed|released|published|supplied)\b|\bavailable\s+(?:at|on|via|from|online|here|to\s+view)\b"
    r"|\bcan\s+be\s+(?:found|accessed|viewed|downloaded)\b|https?://|\bwww\.|\bpublicly\s+available\b"
    r"|\b(?:is|are)\s+(?:included|appended)\b|\bplease\s+see\s+(?:the\s+)?(?:attached|enclosed|link)\b"
    r"|\bI\s+(?:have\s+)?(?:provide|attach|enclose)\w*\b|\bwe\s+(?:have\s+)?(?:provide|attach|enclose)\w*\b",
    I,
)
DOC_NOT_EXIST = gated(
    r"\bno\s+(?:\w+\s+){0,4}(?:has|have|was|were|is|are)\s+(?:been\s+)?(?:completed|carried\s+out|undertaken|conducted|produced|written|drafted|done)\b"
    r"|\b(?:has|have|was|were)\s+not\s+(?:yet\s+)?(?:been\s+)?(?:completed|carried\s+out|undertaken|conducted|produced|written|drafted)\b"
    r"|\b(?:do|does)\s+not\s+(?:currently\s+)?(?:have|hold)\s+(?:a|an|any)\b|\bthere\s+(?:is|are)\s+no\b",
    I,
)
DOC_EXISTS = gated(
    r"\b(?:has|have|was|were|had)\s+(?:\w+ly\s+)?(?:been\s+)?(?:completed|carried\s+out|undertaken|conducted|produced|written|drafted|approved|agreed)\b"
    r"|\b(?:is|are)\s+in\s+place\b|\bexists?\b|\b(?:we|the\s+force)\s+(?:have|has|hold|holds)\s+(?:a|an)\b",
    I,
)

DOC_IN_PROGRESS = gated(r"\b(?:being|currently\s+being)\s+(?:drafted|written|prepared|developed|reviewed|updated)\b|\bunder\s+review\b"
                        r"|\bin\s+draft\b|\bdraft\s+(?:DPIA|policy|procedure)\b", I)

# --- terse answers aligned to a numbered question --------------------------------------------

TERSE = [
    ("not_held", re.compile(r"^(?:no\s+(?:relevant\s+|recorded\s+)?information\s+(?:is\s+)?held|not\s+held|information\s+not\s+held"
                            r"|no\s+information|nil\s+return|this\s+information\s+is\s+not\s+held)\b", I)),
    ("ncnd", re.compile(r"^(?:\w+\s+){0,4}(?:can|will|shall|must)?\s*neither\s+confirm\s+n?or\s+deny\b|^NCND\b", I)),
    ("yes", re.compile(r"^(?:yes|yes\s*[-–,.:;]|correct|confirmed|that\s+is\s+correct"
                       r"|(?:currently\s+)?(?:used|in\s+use|in\s+operation|deployed))\b", I)),
    ("no", re.compile(r"^(?:no(?!\s+(?:information|recorded|data|relevant|records?|such|further|documents?|longer))\b|none\b|nil\b"
                      r"|not\s+(?:currently\s+)?(?:used|in\s+use|deployed|utili[sz]ed|operated)\b)", I)),
]
# A number followed by "/", ")" or "." and words is an item number ("2/ The names of ..."), not a count.
COUNT_ANSWER = re.compile(r"^(?:a\s+total\s+of\s+|there\s+(?:were|have\s+been|was)\s+|total\s*[:\-–]?\s*)?"
                          r"(?P<n>\d[\d,]*)\b(?!\s*[/)\]]|\.\s*[^\W\d_])", I)

"""The words shared by the fact families: verbs of enrolment, of reaching an outcome, of progression."""

from __future__ import annotations

import re

from cmlkg.extract.quantities import ADJ, PATIENT_NOUN, PCT
from cmlkg.textutil import NUM

I = re.IGNORECASE

# a group of patients named by its size: "45 patients", "Forty evaluable pts", "12 newly diagnosed cases"
COUNTED = rf"(?<![\w.])(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}"

# the verbs of a dose raised: 'had their dose increased to 600 mg', 'the dose was escalated to 800 mg'
DOSE_RAISED = r"(?:increased|escalated|raised)"

ENROL_VERB = (
    r"(?:(?:were|was|have\s+been|had\s+been|are|being)\s+)?(?:(?:randomly|prospectively|retrospectively|consecutively)\s+)?"
    r"(?:randomi[sz]ed|assigned|allocated|enrolled|included|treated|studied|recruited|entered|registered|started|"
    r"analy[sz]ed|evaluated|reviewed|received|receiving|given|underwent|undergoing|transplanted|autografted|"
    r"grafted|to\s+be\s+treated|participated|identified|accrued|eligible|surveyed|interviewed|switched|"
    # ('84 patients with a suboptimal response had their dose increased to 600 mg (n = 51) or 800 mg')
    rf"had\s+(?:their\s+)?(?:[\w-]+\s+)?doses?\s+{DOSE_RAISED}|"
    r"(?:replied|responded)\s+to\s+(?:the\s+|a\s+|our\s+)?(?:questionnaire|survey)|"
    r"completed\s+(?:the\s+|a\s+|our\s+)?(?:questionnaire|survey))\b"
)
ENROL_BEFORE = re.compile(
    r"(?:\bwe\s+(?:have\s+)?(?:\w+ly\s+)?(?:treated|enrolled|studied|included|analy[sz]ed|reviewed|report(?:ed)?|describe|present|assigned|allocated|"
    # ('We screened 297 patients with imatinib failure for kinase domain mutations': the patients tested)
    r"screened|tested|genotyped|sequenced|"
    r"surveyed|interviewed|observed|"
    r"evaluated|identified|investigated|followed|randomi[sz]ed)\s+(?:\w+\s+){0,3}|\btotal\s+of\s+|\bin\s+total,?\s+|\bpatients:\s*|"
    r"\bfrom\s+|\bdata\s+(?:of|on|from)\s+(?:(?:the\s+)?[\d,]+\s+[a-z-]+\s+(?:in|of|from)\s+)?|\bseries\s+of\s+|\bcohort\s+of\s+|\bincluded\s+|\benrolled\s+|"
    # ('This phase 3 trial randomly assigned 519 patients to ...')
    r"\b(?:assigned|allocated|randomi[sz]ed|recruited|accrued)\s+|"
    r"\b(?:given|administered|assigned|allocated|randomi[sz]ed|offered|applied)\b[^.;]{0,50}\bto\s+(?:the\s+|all\s+)?|"
    r"\bresults\s+(?:in|of|from)\s+(?:a\s+total\s+of\s+)?|"  # a title's 'results in 118 patients'
    # (not 'withdrawal from the study in 5 patients': leaving the study)
    r"\b(?=trial|study|review|survey|analysis|experience)(?<!\bfrom\s)(?<!\bfrom\sthe\s)(?<!\bfrom\sthis\s)"
    r"(?:trial|study|review|survey|analysis|experience)\b[^.;]{0,90}\b(?:in|of|on|involving|including|among)\s+(?:the\s+|a\s+total\s+of\s+)?)$",
    I,
)
OUTCOME_VERB = (
    # "achieved or maintained", "attained and retained": one verb of two
    r"(?:(?:achieved|attained|obtained|reached|gained)\s+(?:or|and|and/or)\s+(?:maintained|retained|sustained|kept)|"
    r"(?:are|were|is|was|remain(?:ed|s)?)\s+alive\s+(?:and\s+)?in|achieved|attained|obtained|reached|got|gained|regained|re-?achieved|recovered|had|has|have|showed|shown|developed|experienced|"
    r"(?:were|are|was|is|remain(?:ed|s)?)\s+(?:still\s+|again\s+|also\s+)?in|maintained|lost|were|was|are|is|became|died|relapsed|progressed|evolved|"
    r"transformed|responded|achieving|having|with|in)"
)
PROGRESSION_VERB = re.compile(
    r"(?:evolved|evolving|evolution|progressed|progressing|progression|transformed|transformation|transition|"
    r"went|going|moved)\s+(?:\w+\s+){0,2}?(?:in|to|into)\s+(?:the\s+|an?\s+)?$"
    # ('5 patients have entered blast crisis')
    r"|\b(?:entered|entering)\s+(?:the\s+|an?\s+)?$",
    I,
)

# what joins the items of a list: "neutropenia, anemia and rash", "grade 3 or 4"
COORDINATED = re.compile(r"\s*(?:,|and|or|,\s*and|,\s*or)\s*")
# the words of a comparison: "31% with A, compared with 65% with B", "46% vs 40%"
VERSUS = r"(?:compared\s+(?:with|to)|versus|vs\.?|v\.?)"
# the words that give a reason: "stopped because of toxicity", "discontinued due to resistance"
CAUSE = r"(?:due\s+to|because\s+of|owing\s+to)"
# a time point written after a figure or a rate: "at 12 months", "by week 48", "after 2 years"
TIME_PHRASE = r"(?:at|by|after)\s+(?:\w+\s+)?\d+\s*\w+"
# how a time point's value begins, after its preposition: "12", "two", "week 48", "M12", "wk 24"
TIME_VALUE = rf"(?:{NUM}|week|month|year|M\d|wk)"
# the sign of a level ('BCR-ABL1 ≤0.1%': a level, not a figure; '<=' and '>=' are read as these signs)
LEVEL_SIGN = r"[<>≤≥]"
LEVEL = rf"{LEVEL_SIGN}\s*\d+(?:\.\d+)?\s*%?"
# two rates compared in a parenthesis: '(28% vs 16%)', '(47.2% vs 36.9%; P = .02)'
PAIR_IN_PARENS = r"\(\s*\d+(?:\.\d+)?\s*%\s*(?:vs\.?|versus)\s*\d+(?:\.\d+)?\s*%\s*[;,)]"

# a share of the patients in words, before its figures in parentheses: 'Most patients (n = 50)',
# 'One-third of the patients (33%)', 'Half of the patients (n = 30)' (how many had it, never a group)
SHARE_LEAD = (
    r"(?:(?:nearly|almost|about|approximately|over|more\s+than|less\s+than|just\s+over)\s+)?"
    r"(?:one[- ]third|two[- ]thirds|one[- ]quarter|a\s+quarter|three[- ]quarters|(?:one[- ])?half|"
    r"the\s+majority|most|a\s+minority)"
    rf"(?:\s+(?:of\s+)?(?:the\s+|all\s+|our\s+)?(?:[\w-]+\s+)?{PATIENT_NOUN})?"
)
SHARE_ENDS = re.compile(rf"\b{SHARE_LEAD}\s*$", I)

# a figure compared after an outcome: '44% achieved MMR, compared with 22% in the B arm'
COMPARED_WITH = re.compile(
    rf"[^;]{{0,40}}?\b(?:compared\s+(?:with|to)|versus|vs\.?)\s+(?P<p>\d+(?:\.\d+)?){PCT}(?!\s*(?:CI|confidence))",
    I,
)
COMPARED_COUNT = re.compile(
    r"[^;]{0,40}?\b(?:compared\s+(?:with|to)|versus|vs\.?)\s+(?P<n>\d+)\s*(?:(?:of|/)\s*(?P<den>\d+)"
    r"(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?"
    # ('versus 14 (28%) in the B arm', 'versus 14 B-treated patients (28%)': a count and its share)
    r"|(?:(?!(?:months?|weeks?|years?|days?|mg)\b)[A-Za-z]+(?:-treated)?\s+)?(?:(?:patients|pts|subjects)\s*)?"
    r"\(\s*(?P<p2>\d+(?:\.\d+)?)\s*%\s*\)"
    # ('2 progressions with dasatinib versus 5 with imatinib': a bare count, its group closing the clause)
    r"|(?=\s+(?:on|with|in)\s+(?:the\s+)?[A-Za-z][\w-]*(?:\s+(?:arm|group))?\s*(?:[.;,)]|$)))",
    I,
)

# words of a comparison before an outcome: 'a higher rate of MMR', 'the difference in CCyR'
COMPARATIVE = re.compile(
    # (not 'at the higher dose': a dose, not a rate; nor 'required dose reduction': a change of dose)
    r"\b(?:difference|differences|(?<!dose\s)(?<!dose-)(?:increase|reduction)|improvement|(?:higher|lower)(?![\s-]+dos)|better|worse|superior|inferior|"
    r"odds|hazard)\b"
    r"[^.;]*$",
    I,
)

# an outcome the ontology does not name ('partial hematologic remission in 24'): read, so that its figures
# are no other outcome's, then left out
UNNAMED = "UnnamedOutcome"

# how an event is said to have happened: 'was reported', 'were observed', 'occurred', 'developed'
EVENT_REPORTED = (
    r"(?:(?:was|were)\s+(?:\w+\s+)?(?:reported|seen|observed|noted|found|recorded|documented)"
    r"|occurred|developed)"
)

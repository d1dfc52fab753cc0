"""The writing assistant, table by table: which words are acronyms, and which lines look like case notes."""

import pytest

from agencychecks.assistant import blocking_acronyms, check_fields, definitions_in, find_acronyms, find_case_notes

GLOSSARY = {
    "GP": ("general practitioner", True),
    "NHS": ("National Health Service", True),
    "MASH": ("Multi-Agency Safeguarding Hub", False),
    "CSC": ("children's social care", False),
    "A&E": ("accident and emergency department", False),
}


@pytest.mark.parametrize(("text", "expected"), [
    ("The child was seen by the health visitor.", []),
    ("Seen by the GP on Monday.", []),                                      # allowed by the glossary
    ("GPs saw the child twice.", []),                                       # plural of an allowed term
    ("Referred to CSC the same day.", ["CSC"]),
    ("The MASH reviewed it; MASH agreed.", ["MASH"]),                       # reported once
    ("Multi-Agency Safeguarding Hub (MASH) reviewed it; MASH agreed.", []),  # defined in brackets first
    ("The multi-agency safeguarding hub (MASH) agreed.", []),               # the glossary expansion, then the term
    ("Taken to A&E by ambulance.", ["A&E"]),                                # letters joined by & are one acronym
    ("An ICPC was held and the CP plan began.", ["ICPC", "CP"]),            # unknown to the glossary
    ("I met A Smith at school.", []),                                       # single capitals are words
    ("A section 47 (S47) enquiry began.", []),                              # one letter and digits: left alone
    ("The CP1 form was sent.", ["CP1"]),                                    # two letters and a digit
    ("She did NOT attend.", ["NOT"]),                                       # capitals for emphasis are reported
    ("", []),
])
def test_acronyms_found(text, expected):
    assert [a.term for a in find_acronyms(text, GLOSSARY)] == expected


def test_an_acronym_in_the_glossary_comes_with_its_expansion_as_the_suggestion():
    (found,) = find_acronyms("Discussed at the MASH.", GLOSSARY)
    assert found.expansion == "Multi-Agency Safeguarding Hub"
    assert "Multi-Agency Safeguarding Hub" in found.message


def test_an_unknown_acronym_asks_for_the_words_in_full():
    (found,) = find_acronyms("The ICPC met.", GLOSSARY)
    assert found.expansion == ""
    assert "write it out in full" in found.message


@pytest.mark.parametrize(("text", "defined"), [
    ("Multi-Agency Safeguarding Hub (MASH)", {"MASH"}),
    ("an Initial Child Protection Conference (ICPC)", {"ICPC"}),
    ("Accident and Emergency (A&E)", {"A&E"}),
    ("the hospital (MASH)", set()),                       # the words before do not stand for it
])
def test_definitions_in_brackets(text, defined):
    assert definitions_in(text) == defined


@pytest.mark.parametrize(("text", "flagged"), [
    ("12/03/24 14:32 hv done, mum present", True),        # date and time at the start of a line
    ("14:32 telephone call with mother", True),           # time at the start
    ("2024-03-12 visit", True),                           # ISO date at the start
    ("JB: spoke to mum re appt", True),                   # staff initials and a colon
    ("KL - home visit completed", True),                  # staff initials and a dash
    ("pt seen, hv f/u, NFA", True),                       # dense shorthand
    ("The health visitor visited on 12 March 2024 at 2pm.", False),
    ("On 14 March the nurse telephoned the mother.", False),
    ("Seen by the GP and the health visitor.", False),    # one capitalised word is not a dense run
])
def test_case_note_lines(text, flagged):
    assert bool(find_case_notes(text)) is flagged


def test_case_note_flags_say_which_line():
    flags = find_case_notes("A plain first line.\nJB: spoke to mum")
    assert [f.line for f in flags] == [2]


def test_a_term_defined_in_an_earlier_field_counts_as_expanded_later():
    results = check_fields({"analysis": "An Initial Child Protection Conference (ICPC) was held.",
                            "went_well": "The ICPC was well attended."}, GLOSSARY)
    assert "went_well" not in results


def test_only_acronyms_block_submission_not_case_note_warnings():
    results = check_fields({"analysis": "14:32 visited at home", "went_well": "CSC acted."}, GLOSSARY)
    assert set(results) == {"analysis", "went_well"}
    assert set(blocking_acronyms(results)) == {"went_well"}

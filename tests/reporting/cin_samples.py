"""CIN census files for the CIN import and export tests: the synthetic 2024-25 example of
DATA-FORMATS.md 2.6 (no child-level errors in the D2I validator) and a way to vary it."""

EXAMPLE_2025 = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>2025</Year>
      <ReferenceDate>2025-03-31</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel>
      <LEA>999</LEA>
      <SoftwareCode>IRO-APP</SoftwareCode>
      <Release>1.0.0</Release>
      <SerialNo>001</SerialNo>
      <DateTime>2025-04-02T09:30:00</DateTime>
    </Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>FAKE0001</LAchildID>
        <UPNunknown>UN1</UPNunknown>
        <PersonBirthDate>2021-06-14</PersonBirthDate>
        <Sex>F</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>WBRI</Ethnicity>
        <Disabilities>
          <Disability>NONE</Disability>
        </Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2024-04-08</CINreferralDate>
        <ReferralSource>6</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <Assessments>
          <AssessmentActualStartDate>2024-04-08</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2024-05-20</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>3B</AssessmentFactors>
            <AssessmentFactors>16A</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <CINPlanDates>
          <CINPlanStartDate>2025-01-16</CINPlanStartDate>
        </CINPlanDates>
        <Section47>
          <S47ActualStartDate>2024-04-10</S47ActualStartDate>
          <InitialCPCtarget>2024-05-01</InitialCPCtarget>
          <DateOfInitialCPC>2024-04-30</DateOfInitialCPC>
          <ICPCnotRequired>0</ICPCnotRequired>
        </Section47>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2024-04-30</CPPstartDate>
          <CPPendDate>2025-01-16</CPPendDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews>
            <CPPreviewDate>2024-07-25</CPPreviewDate>
            <CPPreviewDate>2025-01-16</CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""


def census(**replacements: str) -> bytes:
    """The example with text replaced: ``census(**{"<Year>2025": "<Year>2026"})``."""
    text = EXAMPLE_2025
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text.encode("utf-8")


def files(data: bytes, name: str = "CIN_Census_2025.xml") -> dict[str, bytes]:
    return {name: data}

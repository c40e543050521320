"""The newsgraph vocabulary as Python terms.

Generated from newsgraph.ttl and checked against it by tests/test_ontology.py: a term used here
that the ontology does not define is an AttributeError (``_fail = True``), not a silent new IRI.
"""
from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

NG_IRI = "https://w3id.org/newsgraph/ontology#"


class NG(DefinedNamespace):
    """Terms of https://w3id.org/newsgraph/ontology#."""

    _fail = True
    _NS = Namespace(NG_IRI)

    # classes
    Accusation: URIRef
    Actor: URIRef
    Agreement: URIRef
    AidDelivery: URIRef
    AidSuspension: URIRef
    Annexation: URIRef
    Appointment: URIRef
    Arrest: URIRef
    Article: URIRef
    Assertion: URIRef
    Asset: URIRef
    Attack: URIRef
    Attribution: URIRef
    Bridge: URIRef
    BuildActivity: URIRef
    Building: URIRef
    Ceasefire: URIRef
    City: URIRef
    Claim: URIRef
    ClaimedValue: URIRef
    Communication: URIRef
    Company: URIRef
    Conflict: URIRef
    Continent: URIRef
    Country: URIRef
    CourtRuling: URIRef
    Cyberattack: URIRef
    Dam: URIRef
    Death: URIRef
    Demand: URIRef
    Deployment: URIRef
    Disaster: URIRef
    Dismissal: URIRef
    Election: URIRef
    EnergyInfrastructure: URIRef
    Event: URIRef
    Evidence: URIRef
    Expulsion: URIRef
    Facility: URIRef
    GovernmentBody: URIRef
    GuiltyPlea: URIRef
    HostileAct: URIRef
    Indictment: URIRef
    Infrastructure: URIRef
    InternationalOrganization: URIRef
    Interview: URIRef
    Investigation: URIRef
    Lawsuit: URIRef
    LegalAction: URIRef
    Legislation: URIRef
    MediaOrganization: URIRef
    Meeting: URIRef
    Mention: URIRef
    MilitaryForce: URIRef
    MilitaryOperation: URIRef
    MineralResource: URIRef
    Negotiation: URIRef
    NuclearPowerPlant: URIRef
    OilInstallation: URIRef
    Organization: URIRef
    PeaceAgreement: URIRef
    Person: URIRef
    PersonnelChange: URIRef
    PhoneCall: URIRef
    Pipeline: URIRef
    Place: URIRef
    PoliticalParty: URIRef
    PoliticalProcess: URIRef
    Port: URIRef
    PowerPlant: URIRef
    PrisonerRelease: URIRef
    Proposal: URIRef
    Protest: URIRef
    Quote: URIRef
    Region: URIRef
    Report: URIRef
    ReportedSpeech: URIRef
    ResearchOrganization: URIRef
    Resignation: URIRef
    Sanction: URIRef
    Seizure: URIRef
    Sentence: URIRef
    Speech: URIRef
    Statement: URIRef
    Subpoena: URIRef
    Summit: URIRef
    Tariff: URIRef
    Territory: URIRef
    Threat: URIRef
    Trial: URIRef
    Visit: URIRef
    Vote: URIRef
    WaterBody: URIRef
    WeaponsTest: URIRef
    Withdrawal: URIRef

    # properties
    affiliatedWith: URIRef
    agent: URIRef
    agreedTo: URIRef
    anchorText: URIRef
    articleCount: URIRef
    attacked: URIRef
    attests: URIRef
    attribute: URIRef
    cameoCode: URIRef
    claimSubject: URIRef
    claimedValue: URIRef
    confidence: URIRef
    conflictSide: URIRef
    conflictingClaim: URIRef
    contentHash: URIRef
    controls: URIRef
    date: URIRef
    duration: URIRef
    endChar: URIRef
    entityType: URIRef
    extractor: URIRef
    firstSeen: URIRef
    hedge: URIRef
    inArticle: URIRef
    inSentence: URIRef
    indirect: URIRef
    lastSeen: URIRef
    leaderOf: URIRef
    locatedIn: URIRef
    location: URIRef
    lowerBound: URIRef
    memberOf: URIRef
    mentions: URIRef
    mergeReason: URIRef
    occupies: URIRef
    opposes: URIRef
    outlet: URIRef
    outletCount: URIRef
    partOf: URIRef
    participant: URIRef
    proposed: URIRef
    qualifier: URIRef
    rejected: URIRef
    relatedTo: URIRef
    reportedBy: URIRef
    seeksControlOf: URIRef
    sentenceText: URIRef
    settings: URIRef
    softwareVersion: URIRef
    sourceFile: URIRef
    spacyModel: URIRef
    speaker: URIRef
    stance: URIRef
    startChar: URIRef
    statedAs: URIRef
    supports: URIRef
    target: URIRef
    text: URIRef
    unit: URIRef
    upperBound: URIRef
    value: URIRef
    valueEntity: URIRef



# Every term made once: DefinedNamespace builds a new URIRef on each attribute access (~1 µs),
# and a build or store commit looks up predicates millions of times.
for _name in NG.__annotations__:
    type.__setattr__(NG, _name, NG._NS[_name])
del _name

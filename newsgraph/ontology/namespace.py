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
    Actor: URIRef
    Agreement: URIRef
    AidDelivery: URIRef
    AidSuspension: URIRef
    Annexation: URIRef
    Article: URIRef
    Assertion: URIRef
    Asset: URIRef
    Attribution: URIRef
    Attack: URIRef
    Bridge: URIRef
    BuildActivity: URIRef
    Building: URIRef
    Ceasefire: URIRef
    Claim: URIRef
    ClaimedValue: URIRef
    City: URIRef
    Communication: URIRef
    Conflict: URIRef
    Company: URIRef
    Continent: URIRef
    Country: URIRef
    Dam: URIRef
    Election: URIRef
    EnergyInfrastructure: URIRef
    Event: URIRef
    Evidence: URIRef
    Expulsion: URIRef
    Facility: URIRef
    GovernmentBody: URIRef
    HostileAct: URIRef
    Infrastructure: URIRef
    InternationalOrganization: URIRef
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
    PhoneCall: URIRef
    Pipeline: URIRef
    Place: URIRef
    PoliticalParty: URIRef
    Port: URIRef
    PowerPlant: URIRef
    PrisonerRelease: URIRef
    Proposal: URIRef
    Quote: URIRef
    Region: URIRef
    ReportedSpeech: URIRef
    ResearchOrganization: URIRef
    Sanction: URIRef
    Seizure: URIRef
    Sentence: URIRef
    Statement: URIRef
    Territory: URIRef
    WaterBody: URIRef

    # properties
    valueEntity: URIRef
    value: URIRef
    upperBound: URIRef
    unit: URIRef
    statedAs: URIRef
    qualifier: URIRef
    outletCount: URIRef
    lowerBound: URIRef
    lastSeen: URIRef
    hedge: URIRef
    firstSeen: URIRef
    conflictingClaim: URIRef
    conflictSide: URIRef
    claimSubject: URIRef
    claimedValue: URIRef
    attribute: URIRef
    articleCount: URIRef
    affiliatedWith: URIRef
    agent: URIRef
    agreedTo: URIRef
    anchorText: URIRef
    attacked: URIRef
    attests: URIRef
    confidence: URIRef
    contentHash: URIRef
    controls: URIRef
    date: URIRef
    duration: URIRef
    endChar: URIRef
    entityType: URIRef
    extractor: URIRef
    inArticle: URIRef
    inSentence: URIRef
    indirect: URIRef
    leaderOf: URIRef
    locatedIn: URIRef
    location: URIRef
    memberOf: URIRef
    mentions: URIRef
    mergeReason: URIRef
    occupies: URIRef
    opposes: URIRef
    outlet: URIRef
    partOf: URIRef
    participant: URIRef
    proposed: URIRef
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
    supports: URIRef
    target: URIRef
    text: URIRef


# Every term made once: DefinedNamespace builds a new URIRef on each attribute access (~1 µs),
# and a build or store commit looks up predicates millions of times.
for _name in NG.__annotations__:
    type.__setattr__(NG, _name, NG._NS[_name])
del _name

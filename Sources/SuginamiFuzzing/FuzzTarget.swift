import Foundation
import SuginamiGIS
import SuginamiKit
import SuginamiSecurity

/// One kind of input that refd reads from outside, and how to feed it bytes: what libFuzzer
/// drives (`make fuzz`) and what the regression tests replay. Public API only, as a vendor
/// would call it; file-based readers get a temporary file.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// OpenStreetMap XML (`refd route --osm FILE.osm`).
    case osmXML = "osm-xml"
    /// OpenStreetMap PBF (`--osm FILE.osm.pbf`).
    case osmPBF = "osm-pbf"
    /// The road network as a node and an edge CSV (`--csv-network`), split at the first NUL byte.
    case roadNetworkCSV = "road-network-csv"
    /// A saved network (`--network FILE.sgknet`).
    case networkFile = "network-file"
    /// Facilities as GSI or 自治体標準 CSV, UTF-8 or Shift_JIS (`refd import`).
    case facilityCSV = "facility-csv"
    /// Facilities as GeoJSON.
    case facilityGeoJSON = "facility-geojson"
    /// Facilities or a building register as GeoPackage.
    case geoPackage = "geopackage"
    /// A building register as CSV (`refd import --buildings`).
    case buildingRegisterCSV = "building-register-csv"
    /// Damage functions (`refd simulate --fragility`).
    case fragility
    /// Site data per mesh (`--site`).
    case site
    /// An earthquake scenario file (`--scenario FILE`).
    case scenario
    /// A mitigation scenario (`--mitigation`).
    case mitigation
    /// Spread-limit distances (`--spread-distances`).
    case spreadDistances = "spread-distances"
    /// Ignition rates by intensity (`--ignition-rates`).
    case ignitionRates = "ignition-rates"
    /// Time-stepped spread coefficients (`--spread-coefficients`).
    case spreadCoefficients = "spread-coefficients"
    /// Firebreak lines as GeoJSON (a mitigation scenario's `firebreaks`).
    case firebreaks
    /// An ISMS system inventory, YAML or JSON (`refd isms check INVENTORY`).
    case ismsInventory = "isms-inventory"
    /// An evidence bundle's manifest (`--evidence`).
    case evidenceManifest = "evidence-manifest"
    /// ISMS waivers (`--waivers`).
    case ismsWaivers = "isms-waivers"
    /// A municipality's own rule catalogue (`--catalog`).
    case ismsCatalogue = "isms-catalogue"
    /// A previous run's results (`refd isms diff`).
    case ismsResults = "isms-results"
    /// Regional mesh codes (`refd mesh CODE`).
    case meshCode = "mesh-code"
    /// Closed roads over the bundled synthetic network (`refd route --closures`).
    case closures
    /// No-go areas as GeoJSON (`--no-go`).
    case noGoAreas = "no-go-areas"
    /// Penalty areas as GeoJSON (`--penalty`).
    case penaltyAreas = "penalty-areas"
    /// Shelter nodes of the bundled synthetic network (`--shelter-nodes`).
    case shelterNodes = "shelter-nodes"
    /// A position, `longitude,latitude` (`--from`, `--to`, `--near`, `--point`).
    case position
    /// A run record, `inputs/run.json` of a simulation's output (replaying a run).
    case runRecord = "run-record"
    /// The roster of people who need help to evacuate (避難行動要支援者名簿), CSV in UTF-8 or
    /// Shift_JIS (`SupportRosterReader`).
    case supportRoster = "support-roster"
    /// Households for the victims' register, CSV (`refd recovery households`).
    case householdCSV = "household-csv"
    /// Damage surveys, CSV, judged as read (`refd recovery surveys`).
    case damageSurveyCSV = "damage-survey-csv"
    /// Person Finder's notes, PFIF 1.4 XML (`refd people pfif-notes`, `POST /people/pfif`).
    case pfifNotes = "pfif-notes"

    /// What became of one input.
    public enum Outcome: Sendable, Equatable {
        /// Read without complaint.
        case accepted
        /// Refused with this message.
        case refused(String)
    }

    /// Loads, once and before any input, what this kind's inputs are checked against (the
    /// bundled network, rules, evidence), so that the first input is timed like every other:
    /// ordering the bundled network inside the first input took longer than libFuzzer's
    /// per-input limit on a busy machine.
    public func prepare() {
        switch self {
        case .closures, .noGoAreas, .penaltyAreas, .shelterNodes: _ = try? FuzzFiles.syntheticNetwork()
        case .ismsWaivers: _ = try? FuzzFiles.bundledRules()
        case .ismsCatalogue: _ = try? FuzzFiles.annexA()
        case .ismsInventory: _ = try? FuzzFiles.exampleEvidence()
        default: break
        }
    }

    /// Feeds one input to the reader. It must return (accepted or refused), never crash or hang.
    public func consume(_ data: Data) -> Outcome {
        do {
            try read(data)
            return .accepted
        } catch {
            return .refused("\(error)")
        }
    }

    private func read(_ data: Data) throws {
        let text = String(decoding: data, as: UTF8.self)
        switch self {
        case .osmXML: _ = try FuzzFiles.with(data, named: "fuzz.osm") { try OSMXMLReader.read($0) }
        case .osmPBF: _ = try FuzzFiles.with(data, named: "fuzz.osm.pbf") { try OSMPBFReader.read($0) }
        case .roadNetworkCSV:
            let split = data.firstIndex(of: 0) ?? data.endIndex
            let nodes = data[..<split]
            let edges = split < data.endIndex ? data[data.index(after: split)...] : Data()
            _ = try FuzzFiles.with(Data(nodes), named: "nodes.csv") { nodesURL in
                try FuzzFiles.with(Data(edges), named: "edges.csv") {
                    try RoadNetworkCSV.read(nodes: nodesURL, edges: $0)
                }
            }
        case .networkFile: _ = try FuzzFiles.with(data, named: "fuzz.sgknet") { try RoadNetworkFile.read($0) }
        case .facilityCSV: _ = try FacilityImporter.read(data, file: "fuzz.csv", format: .csv)
        case .facilityGeoJSON: _ = try FacilityImporter.read(data, file: "fuzz.geojson", format: .geoJSON)
        case .geoPackage:
            try FuzzFiles.with(data, named: "fuzz.gpkg") { url in
                let facilities = Result { try FacilityImporter.read(contentsOf: url) }
                let buildings = Result { try BuildingRegisterFormat.read(contentsOf: url) }
                if case .failure(let error) = facilities, case .failure = buildings { throw error }
            }
        case .buildingRegisterCSV: _ = try BuildingRegisterFormat.readCSV(data, file: "fuzz.csv")
        case .fragility: _ = try FragilitySet(csv: text, name: "fuzz.csv")
        case .site: _ = try SiteModel(csv: text, name: "fuzz.csv", convention: .fujimotoMidorikawa2006)
        case .scenario: _ = try FuzzFiles.with(data, named: "scenario.json") { try ScenarioFile.load($0).scenario() }
        case .mitigation: _ = try FuzzFiles.with(data, named: "mitigation.json") { try MitigationScenario.load($0) }
        case .spreadDistances: _ = try SpreadDistances(csv: text, name: "fuzz.csv")
        case .ignitionRates: _ = try FireParameters.ignitionRates(csv: text, name: "fuzz.csv")
        case .spreadCoefficients:
            _ = try FuzzFiles.with(data, named: "coefficients.json") { try SpreadTimeCoefficients.load($0) }
        case .firebreaks: _ = try Firebreaks.lines(geoJSON: data, file: "fuzz.geojson")
        case .ismsInventory:
            _ = try InventoryLoader.load(
                data, name: "fuzz.yaml", evidence: try FuzzFiles.exampleEvidence(), at: FuzzFiles.assessmentTime)
        case .evidenceManifest:
            try FuzzFiles.withEvidenceManifest(data) {
                _ = try EvidenceBundle.load(directory: $0, at: FuzzFiles.assessmentTime)
            }
        case .ismsWaivers:
            let rules = try FuzzFiles.bundledRules()
            _ = try FuzzFiles.with(data, named: "waivers.yaml") {
                try WaiverList.load($0, rules: rules, at: FuzzFiles.assessmentTime)
            }
        case .ismsCatalogue:
            let annexA = try FuzzFiles.annexA()
            _ = try FuzzFiles.with(data, named: "catalogue.yaml") { try RuleCatalogue.load($0, annexA: annexA) }
        case .ismsResults: _ = try FuzzFiles.with(data, named: "results.json") { try ISMSCheck.readResult($0) }
        case .meshCode:
            let code = try RegionalMeshCode(text)
            _ = (code.bounds, code.centre, code.outline)
        case .closures:
            let graph = try FuzzFiles.syntheticNetwork().graph
            _ = try FuzzFiles.with(data, named: "closures.csv") { try RoadNetworkInputs.closures($0, in: graph) }
        case .noGoAreas:
            let graph = try FuzzFiles.syntheticNetwork().graph
            let areas = try FuzzFiles.with(data, named: "no-go.geojson") { try RoadNetworkInputs.noGoAreas($0) }
            _ = HazardAreas.closedEdges(in: graph, areas: areas)
        case .penaltyAreas:
            let graph = try FuzzFiles.syntheticNetwork().graph
            let areas = try FuzzFiles.with(data, named: "penalty.geojson") { try RoadNetworkInputs.penaltyAreas($0) }
            _ = try EdgePenalties(graph: graph, areas: areas)
        case .shelterNodes:
            let graph = try FuzzFiles.syntheticNetwork().graph
            _ = try FuzzFiles.with(data, named: "shelters.csv") { try RoadNetworkInputs.shelterNodes($0, in: graph) }
        case .position: _ = try GeoPoint(parsing: text)
        case .runRecord:
            let directory = FuzzFiles.directory.appendingPathComponent("run")
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent("inputs"), withIntermediateDirectories: true)
            try data.write(to: directory.appendingPathComponent("inputs/run.json"))
            let record = try ScenarioRunRecord.read(runDirectory: directory)
            try record.replayConfiguration(in: directory).validate()
        case .supportRoster: _ = try SupportRosterReader.read(data, file: "roster.csv")
        case .householdCSV: _ = try HouseholdReader.read(data, file: "households.csv")
        case .damageSurveyCSV: _ = try DamageSurveyReader.read(data, file: "surveys.csv", standard: .reiwa3)
        case .pfifNotes: _ = try PFIFImport(domain: "city.suginami.tokyo.jp").notes(in: data, file: "notes.xml")
        }
    }
}

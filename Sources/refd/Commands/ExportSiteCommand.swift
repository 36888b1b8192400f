import ArgumentParser
import Foundation
import SuginamiCore
import SuginamiGIS
import SuginamiServer

/// `refd export-site`: the hazard map as a folder of files that needs no server.
struct ExportSiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-site",
        abstract: "Write the web map as a self-contained static site that routes with no server.",
        discussion: """
            The folder holds the page `refd serve` shows at /, Leaflet, every collection as GeoJSON, \
            the hazard layers as PNG tiles and the shelter tree's next hops, so that a tap on the map \
            still finds the way to the nearest open relief centre. Open its index.html from a USB \
            stick (file://), or put the folder on any static web server or CDN. Relief-centre states \
            are those of the store at the time of export; export again after new reports.

            DIR must not exist, be empty, or hold a previous export-site (it is then replaced in one \
            step); anything else is refused and nothing is deleted.

              refd export-site --simulation quake-out --report quake-report site
            """)

    @Argument(help: "The folder to write.")
    var directory: String
    @OptionGroup var store: StoreOptions
    @Option(
        help:
            "A road network: a file from `refd route --save-network`, or OpenStreetMap .osm/.osm.pbf (default: the bundled SYNTHETIC network)."
    )
    var network: String?
    @OptionGroup var roads: RoadClosureOptions
    @Option(help: "A run directory written by `refd simulate --out`: its 250 m cells become a hazard layer.")
    var simulation: String?
    @Option(help: "A report directory written by `refd simulate --report`: its towns become a hazard layer.")
    var report: String?
    @Option(help: "Where Leaflet's files are.")
    var leaflet: String = "/usr/share/javascript/leaflet"
    @Option(help: "The zooms of the pre-rendered tiles, FIRST-LAST within 0-18.")
    var zooms: String = "\(StaticSite.defaultZooms.lowerBound)-\(StaticSite.defaultZooms.upperBound)"
    @Option(help: "How a relief centre with no report counts: open or closed.")
    var unreportedCentres: ReliefCentreRouting.UnreportedCentres = .open
    @Option(help: "Progress display: auto (a bar on a terminal), lines or none.")
    var progress: ProgressStyle = .auto

    /// The zoom range `--zooms` names.
    func zoomRange() throws -> ClosedRange<Int> {
        let parts = zooms.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = Int(parts[0]), let last = Int(parts[1]), first <= last, first >= 0,
            last <= 18
        else {
            throw ValidationError("--zooms \(zooms.prefix(40)): give FIRST-LAST, two zooms from 0 to 18 (10-16)")
        }
        return first...last
    }

    func validate() throws {
        _ = try zoomRange()
    }

    func run() async throws {
        let output = OutputDirectory(URL(fileURLWithPath: directory), kind: StaticSite.outputKind)
        try checkOutput(output, "export-site")
        let phases = ProgressReporter(label: "", style: progress)
        let data = try await PublishedData.load(
            database: store.database, network: network, closures: roads.closures, noGo: roads.noGo,
            simulation: simulation,
            report: report,
            unreported: unreportedCentres, phase: phases.phase)
        let zoomRange = try zoomRange()
        let snapshot = await data.routing.settledSnapshot()
        let site: StaticSite
        do {
            site = try StaticSite(
                catalogue: data.catalogue, routing: snapshot, leafletDirectory: leaflet, zooms: zoomRange)
        } catch {
            throw InputError(error.description)
        }
        let tiles = ProgressReporter(label: "tiles", style: progress)
        let files = try site.files { phase, done, total in
            if phase == .tiles { tiles.report(done, of: total) } else { phases.phase(phase.rawValue) }
        }
        phases.phase("writing \(files.count) files")
        do {
            try output.write { staging in
                for file in files {
                    let url = staging.appendingPathComponent(file.path)
                    try FileManager.default.createDirectory(
                        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(file.bytes).write(to: url)
                }
            }
        } catch let error as OutputDirectoryError {
            throw InputError("export-site \(directory): \(error.reason)")
        }
        try await data.store.close()
        let bytes = files.reduce(0) { $0 + $1.bytes.count }
        let pngs = files.filter { $0.path.hasSuffix(".png") && $0.path.hasPrefix("tiles/") }.count
        print(
            "wrote \(directory): \(files.count) files, \(String(format: "%.1f", Double(bytes) / 1e6)) MB "
                + "(\(pngs) hazard tiles); open \(directory)/index.html")
    }
}

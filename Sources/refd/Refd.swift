import ArgumentParser
import CMallocTuning
import Foundation

/// `refd`: the SuginamiKit reference daemon and its tools.
@main
struct Refd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refd",
        abstract: "SuginamiKit reference daemon: disaster facility data for Suginami ward.",
        discussion: """
            Loads the bundled Suginami data, imports and exports open data (GeoJSON, GSI and \
            自治体標準 CSV, GeoPackage) and answers facility queries against a SQLite store.
            """,
        subcommands: [
            LoadCommand.self, ImportCommand.self, ExportCommand.self, FacilitiesCommand.self, MeshCommand.self,
            ProjectCommand.self, ISMSCommand.self, SimulateCommand.self, RouteCommand.self, ServeCommand.self,
            ExportSiteCommand.self, TokenCommand.self, AuditCommand.self, PeopleCommand.self, RecoveryCommand.self,
        ]
    )

    /// Caps glibc's malloc arenas at one per core before any thread allocates, then runs the
    /// command. Its default, eight per core, let the ward simulation strand about 20 MB of its
    /// peak: the phases allocate on different threads (the store's reader, the run's own
    /// thread, the writer), and pages one thread's arena freed could not serve another's. The
    /// cap must come first: glibc fixes the limit when the second arena is made.
    static func main() async {
        _ = sgk_limit_malloc_arenas(Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
        await main(nil)
    }
}

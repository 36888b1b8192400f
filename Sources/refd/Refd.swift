import ArgumentParser

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
}

import Foundation
import PostgresNIO
import SuginamiKit

extension StoreBackend {
    /// Everything the store holds at rest, as bytes: the SQLite file with its log, or every
    /// row of every table of the PostgreSQL database as text, with the sealed columns' bytes
    /// as they are (the text form would show them in hex, hiding what a test looks for).
    public static func restingBytes(of store: any Store) async throws -> Data {
        switch store.location {
        case .file(let path):
            var bytes = Data()
            for suffix in ["", "-wal", "-shm"] {
                bytes += (try? Data(contentsOf: URL(fileURLWithPath: path + suffix))) ?? Data()
            }
            return bytes
        case .postgres(let location):
            return try await TestPostgres.withConnection(to: location.database) { connection, logger in
                var bytes = Data()
                let tables = try await connection.query(
                    """
                    SELECT table_name::text FROM information_schema.tables
                    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'spatial_ref_sys'
                    """, logger: logger
                ).collect().map { try $0.decode(String.self) }
                for table in tables {
                    for row in try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT t::text FROM \(table) t"), logger: logger
                    ).collect() {
                        bytes += Data(try row.decode(String.self).utf8)
                    }
                }
                for table in ["person_needing_support", "safety_check", "household", "resurvey_request", "certificate"]
                {
                    for row in try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT sealed FROM \(table)"), logger: logger
                    ).collect() {
                        bytes += try row.decode(Data.self)
                    }
                }
                return bytes
            }
        }
    }
}

import ArgumentParser
import Foundation
import SuginamiKit

/// `refd facilities`: list facilities, or the nearest ones to a point.
struct FacilitiesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facilities",
        abstract: "List facilities, or the nearest to a point.")

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("kind"), help: "Only facilities of this kind (repeatable).")
    var kinds: [FacilityKind] = []

    @Option(help: "A point as longitude,latitude: list the nearest facilities to it.", transform: parsePosition)
    var near: GeoPoint?

    @Option(help: "How many to list with --near.")
    var count = 3

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard (1...10_000).contains(count) else { throw ValidationError("--count must be between 1 and 10000") }
    }

    func run() async throws {
        let database = try await store.openExisting()
        let rows: [(facility: Facility, distance: Double?)]
        if let near {
            rows = try await database.nearestFacilities(to: near, count: count, kinds: Set(kinds)).map {
                ($0.facility, $0.distance)
            }
        } else {
            rows = try await database.facilities(kinds: Set(kinds)).map { ($0, nil) }
        }
        if json {
            let items = rows.map {
                FacilityListItem(facility: $0.facility, distanceMetres: $0.distance.map { ($0 * 10).rounded() / 10 })
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(items), as: UTF8.self))
        } else {
            for row in rows {
                let distance = row.distance.map { String(format: "%7.0f m  ", $0) } ?? ""
                print(
                    "\(distance)\(row.facility.id)  \(row.facility.kind.japaneseName)  \(row.facility.name)  \(row.facility.position)"
                )
            }
        }
    }
}

/// One line of `refd facilities --json`.
struct FacilityListItem: Encodable {
    let facility: Facility
    let distanceMetres: Double?
}

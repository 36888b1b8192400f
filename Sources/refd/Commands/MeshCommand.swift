import ArgumentParser
import Foundation
import SuginamiGIS
import SuginamiKit

/// `refd mesh`: JIS X 0410 regional mesh codes for points, or the cell of a code.
struct MeshCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mesh",
        abstract: "Regional mesh codes (JIS X 0410): the cell of a point, or the bounds of a code.",
        discussion: """
            refd mesh --point 139.6366,35.6995 --level quarter    the 250 m mesh containing a point
            refd mesh 5339453011                                  bounds, centre, parent and neighbours
            """)

    @Argument(help: "A mesh code of 4, 6, 8, 9, 10 or 11 digits.")
    var code: String?

    @Option(help: "A point as longitude,latitude.", transform: parsePosition)
    var point: GeoPoint?

    @Option(help: "The level for --point: first, second, third, half, quarter, eighth.")
    var level: RegionalMeshCode.Level = .quarter

    func validate() throws {
        guard (code == nil) != (point == nil) else { throw ValidationError("give either a mesh code or --point") }
    }

    func run() throws {
        let mesh: RegionalMeshCode
        if let point {
            mesh = try RegionalMeshCode(containing: point, level: level)
        } else {
            do { mesh = try RegionalMeshCode(code ?? "") } catch { throw InputError(error.description) }
        }
        let report = MeshReport(
            code: mesh.code, level: mesh.level.nominalSize, bounds: mesh.bounds, centre: mesh.centre,
            parent: mesh.parent?.code, neighbours: mesh.neighbours.map(\.code))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}

/// What `refd mesh` prints.
struct MeshReport: Encodable {
    let code: String
    let level: String
    let bounds: BoundingBox
    let centre: GeoPoint
    let parent: String?
    let neighbours: [String]
}

extension RegionalMeshCode.Level: ExpressibleByArgument {
    /// Parses a level by its case name (`quarter`).
    public init?(argument: String) {
        guard let level = Self.allCases.first(where: { "\($0)" == argument }) else { return nil }
        self = level
    }

    /// The case names, for help and completion.
    public static var allValueStrings: [String] { allCases.map { "\($0)" } }
}

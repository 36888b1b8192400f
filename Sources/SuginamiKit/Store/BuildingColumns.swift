/// A building as both back ends store it, one column each: what a row reads into before it
/// becomes a ``Building``, so that a row is checked and read alike on SQLite and PostgreSQL.
package struct BuildingColumns {
    package var id: String
    package var latitude: Double
    package var longitude: Double
    package var structure: String
    package var constructionYear: Int?
    package var floors: Int?
    package var floorArea: Double?
    package var use: String
    package var fireResistance: String?
    package var seismicRetrofit: String
    package var townCode: String?
    package var isSynthetic: Bool
    package var footprint: String?
    package var assumedAttributes: String

    /// The building, sharing the assumed-field sets already read: nearly every building names
    /// the same assumed fields, so one set per distinct text instead of one per building
    /// (about 10 MB at ward scale).
    /// - Throws: ``StoreError/invalidRecord(id:problems:)`` for a value the SDK does not know.
    package func building(assumedSets: inout [String: Set<Building.Attribute>]) throws -> Building {
        func parse<T: RawRepresentable<String>>(_ text: String, _ column: String, as type: T.Type) throws -> T {
            guard let value = T(rawValue: text) else {
                throw StoreError.invalidRecord(id: id, problems: ["\(column) \"\(text)\" is not a known value"])
            }
            return value
        }
        let assumed: Set<Building.Attribute>
        if let known = assumedSets[assumedAttributes] {
            assumed = known
        } else {
            guard let parsed = Building.Attribute.set(fromText: assumedAttributes) else {
                throw StoreError.invalidRecord(
                    id: id, problems: ["assumedAttributes \"\(assumedAttributes)\" names an unknown field"])
            }
            assumedSets[assumedAttributes] = parsed
            assumed = parsed
        }
        return Building(
            id: id,
            position: try GeoPoint(latitude: latitude, longitude: longitude),
            structure: try parse(structure, "structure", as: StructureClass.self),
            constructionYear: constructionYear,
            floors: floors,
            floorArea: floorArea,
            use: try parse(use, "use", as: BuildingUse.self),
            fireResistance: try fireResistance.map { try parse($0, "fireResistance", as: FireResistanceClass.self) },
            seismicRetrofit: try parse(seismicRetrofit, "seismicRetrofit", as: SeismicRetrofit.self),
            footprint: try footprint.map { try DocumentCoding.decode(GeoPolygon.self, from: $0) },
            townCode: townCode,
            isSynthetic: isSynthetic, assumedAttributes: assumed)
    }

    /// The columns of a building to store.
    package init(_ building: Building) throws {
        id = building.id
        latitude = building.position.latitude
        longitude = building.position.longitude
        structure = building.structure.rawValue
        constructionYear = building.constructionYear
        floors = building.floors
        floorArea = building.floorArea
        use = building.use.rawValue
        fireResistance = building.fireResistance?.rawValue
        seismicRetrofit = building.seismicRetrofit.rawValue
        townCode = building.townCode
        isSynthetic = building.isSynthetic
        footprint = try building.footprint.map { try DocumentCoding.encode($0) }
        assumedAttributes = Building.Attribute.text(building.assumedAttributes)
    }

    /// Columns as read from a row.
    package init(
        id: String, latitude: Double, longitude: Double, structure: String, constructionYear: Int?, floors: Int?,
        floorArea: Double?, use: String, fireResistance: String?, seismicRetrofit: String, townCode: String?,
        isSynthetic: Bool, footprint: String?, assumedAttributes: String
    ) {
        self.id = id
        self.latitude = latitude
        self.longitude = longitude
        self.structure = structure
        self.constructionYear = constructionYear
        self.floors = floors
        self.floorArea = floorArea
        self.use = use
        self.fireResistance = fireResistance
        self.seismicRetrofit = seismicRetrofit
        self.townCode = townCode
        self.isSynthetic = isSynthetic
        self.footprint = footprint
        self.assumedAttributes = assumedAttributes
    }
}

/// A building's columns as one JSON object, for PostgreSQL's bulk insert
/// (`jsonb_to_recordset`): thousands of rows in one statement and one round trip.
extension BuildingColumns: Encodable {
    package enum CodingKeys: String, CodingKey {
        case id, latitude, longitude, structure
        case constructionYear = "construction_year"
        case floors
        case floorArea = "floor_area"
        case use
        case fireResistance = "fire_resistance"
        case seismicRetrofit = "seismic_retrofit"
        case townCode = "town_code"
        case isSynthetic = "is_synthetic"
        case footprint
        case assumedAttributes = "assumed_attributes"
    }
}

package struct BuildingClassKey: Hashable {
    package var structure: StructureClass
    package var era: ConstructionEra?
}

/// How many buildings of one structure and era a store holds.
public struct BuildingClassCount: Sendable, Hashable {
    /// 構造.
    public var structure: StructureClass
    /// The construction era, `nil` for buildings of unknown year.
    public var era: ConstructionEra?
    /// The count.
    public var count: Int

    /// Counts by class from counts by structure and year, in structure then era order.
    package static func tally(_ rows: [(structure: String, year: Int?, count: Int)]) -> [BuildingClassCount] {
        rows.reduce(into: [BuildingClassKey: Int]()) { counts, row in
            guard let structure = StructureClass(rawValue: row.structure) else { return }
            let key = BuildingClassKey(
                structure: structure, era: row.year.map { ConstructionEra(structure: structure, year: $0) })
            counts[key, default: 0] += row.count
        }.map { BuildingClassCount(structure: $0.key.structure, era: $0.key.era, count: $0.value) }
            .sorted {
                ($0.structure.rawValue, $0.era?.rawValue ?? "") < ($1.structure.rawValue, $1.era?.rawValue ?? "")
            }
    }
}

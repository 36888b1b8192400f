/// The ward's bundled building stock: 118,522 real footprints and heights (PLATEAU 2020) with
/// structure, era, storeys, floor area and 防火性能 assumed by ``BuildingAttributePriors``.
///
/// Each record is real in position, outline and height, and says which of its fields were
/// assumed (``Building/assumedAttributes``); ``Building/isSynthetic`` is `false` because the
/// building exists. The ids are PLATEAU's 建物ID.
///
/// ```swift
/// let stock = try PlateauBuildingStock.bundled(towns: dataset.towns, table: dataset.buildingStock)
/// try await store.insert(stock.buildings())
/// ```
///
/// Left out of the bundle (and said by `make_bundle.py`): 5,685 footprints whose centroid lies
/// more than 50 m outside every 町丁目: PLATEAU keeps buildings by the ward prefix of their id,
/// and some of those stand kilometres outside the ward. For comparison, the ward's own damage
/// estimate counted 122,904 buildings (end of FY2015).
public struct PlateauBuildingStock: Sendable {
    /// The footprints.
    public var footprints: [PlateauFootprint]
    /// The priors, calibrated to these footprints.
    public var priors: BuildingAttributePriors

    /// A stock over these footprints, the priors calibrated so that its expected 木造 share is
    /// the table's.
    public init(footprints: [PlateauFootprint], priors: BuildingAttributePriors) {
        self.footprints = footprints
        self.priors = priors.calibrated(to: footprints.map { ($0.height, $0.footprint.approximateArea) })
    }

    /// The bundled footprints with priors over Tokyo's stock table.
    /// - Parameters:
    ///   - towns: the towns the footprints must belong to (the bundled 139).
    ///   - table: Tokyo's stock by structure and era.
    ///   - seed: the priors' seed; equal seeds give equal stocks.
    /// - Throws: `InputFileError` if the bundled file is damaged or names a town not given.
    public static func bundled(
        towns: [Town], table: BuildingStockTable, seed: UInt64 = 20_260_127
    ) throws(InputFileError) -> PlateauBuildingStock {
        let footprints = try PlateauFootprints.bundled()
        let codes = Set(towns.map(\.code))
        if let index = footprints.firstIndex(where: { !codes.contains($0.townCode) }) {
            throw InputFileError(
                file: PlateauFootprints.resourceName, location: .row(index + 1, line: index + 2), field: "town_code",
                reason: "\(footprints[index].townCode) is not one of the bundled 町丁目")
        }
        return PlateauBuildingStock(footprints: footprints, priors: BuildingAttributePriors(stock: table, seed: seed))
    }

    /// The building records, in the bundle's order.
    public func buildings() -> [Building] {
        footprints.map(building(from:))
    }

    /// One footprint as a building record, its attributes drawn from the priors.
    public func building(from footprint: PlateauFootprint) -> Building {
        let area = footprint.footprint.approximateArea
        let drawn = priors.attributes(id: footprint.id, height: footprint.height, footprintArea: area)
        return Building(
            id: footprint.id, position: footprint.footprint.approximateCentroid, structure: drawn.structure,
            constructionYear: drawn.constructionYear, floors: drawn.floors, floorArea: drawn.floorArea,
            use: .unknown, fireResistance: drawn.fireResistance, seismicRetrofit: .none,
            footprint: footprint.footprint, townCode: footprint.townCode, isSynthetic: false,
            assumedAttributes: BuildingAttributePriors.assumedAttributes)
    }
}

extension PlateauBuildingStock: BuildingBatches {
    /// The number of footprints.
    public var total: Int { footprints.count }

    /// Footprints `10,000 × index` on, their attributes assumed, at most 10,000.
    public func batch(_ index: Int) throws -> [Building]? {
        let start = index * 10_000
        guard start < footprints.count else { return nil }
        return footprints[start..<min(footprints.count, start + 10_000)].map(building(from:))
    }
}

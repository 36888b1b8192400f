#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Makes a synthetic, deterministic building stock for the ward, for simulations when no
/// real register is at hand.
///
/// **The records are not real buildings.** Each has ``Building/isSynthetic`` set and an id
/// starting `SYN-`. What is taken from real data:
/// - how many buildings stand in each 町丁目: the total split in proportion to households
///   (largest-remainder rounding, so the counts add up exactly);
/// - the mix of 木造/非木造 and construction periods: the Tokyo-wide 2020 stock table of the
///   TMG 2022 estimate (no Suginami table was available).
///
/// What is assumed (stated here because no source was available): positions uniform inside
/// the town polygon; years uniform inside the period, with the open periods closed at 1946
/// and 2020; floors 1–3 for 木造 (20/70/10 %) and 2–10 for 非木造 (half of them 2–4);
/// footprints 40–90 m² (木造) and 80–400 m² (非木造) as squares around the point; use,
/// fire-resistance class and retrofit unknown. 非木造 records use
/// ``StructureClass/nonWoodenUnspecified`` because the table does not split RC, S and SRC.
///
/// A municipality with a register loads it instead (see the vendor integration guide).
public struct SyntheticBuildingGenerator: Sendable {
    /// The total stated for the ward in the project brief (~122,900); not from a bundled source.
    public static let defaultBuildingCount = 122_900

    /// The seed; equal seeds give identical stocks on every platform.
    public var seed: UInt64
    /// How many buildings to make in all.
    public var totalBuildings: Int

    /// Creates a generator.
    public init(seed: UInt64 = 20_260_127, totalBuildings: Int = defaultBuildingCount) {
        self.seed = seed
        self.totalBuildings = totalBuildings
    }

    /// How many buildings each town gets: proportional to households, summing to the total.
    public func allocation(for towns: [Town]) -> [Int] {
        let households = towns.map { Double($0.households) }
        let sum = households.reduce(0, +)
        guard sum > 0 else { return towns.map { _ in 0 } }
        let exact = households.map { $0 / sum * Double(totalBuildings) }
        var counts = exact.map { Int($0.rounded(.down)) }
        let remainder = totalBuildings - counts.reduce(0, +)
        let order = exact.indices.sorted {
            (exact[$0] - exact[$0].rounded(.down), -$0) > (exact[$1] - exact[$1].rounded(.down), -$1)
        }
        for index in order.prefix(remainder) { counts[index] += 1 }
        return counts
    }

    /// The buildings of one town. Each town has its own random stream (seed and town index),
    /// so towns can be generated in any order or in parallel with the same result.
    public func buildings(in town: Town, townIndex: Int, count: Int, stock: BuildingStockTable) -> [Building] {
        var random = SplitMix64(seed: seed ^ (UInt64(townIndex + 1) &* 0x9E37_79B9_7F4A_7C15))
        let box = town.boundary.boundingBox
        let total = Double(stock.total)
        var cumulative: [(threshold: Double, row: BuildingStockTable.Row)] = []
        var running = 0.0
        for row in stock.rows {
            running += Double(row.buildings) / total
            cumulative.append((running, row))
        }
        var result: [Building] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let position = randomPoint(in: town.boundary, box: box, using: &random)
            let draw = random.nextUnit()
            let row = (cumulative.first { draw < $0.threshold } ?? cumulative[cumulative.count - 1]).row
            let firstYear = row.yearFrom ?? 1946
            let lastYear = row.yearTo ?? 2020
            let year = firstYear + Int(random.nextUnit() * Double(lastYear - firstYear + 1))
            let floors: Int
            let footprintArea: Double
            if row.isWooden {
                let f = random.nextUnit()
                floors = f < 0.2 ? 1 : (f < 0.9 ? 2 : 3)
                footprintArea = 40 + random.nextUnit() * 50
            } else {
                floors = random.nextUnit() < 0.5 ? 2 + Int(random.nextUnit() * 3) : 5 + Int(random.nextUnit() * 6)
                footprintArea = 80 + random.nextUnit() * 320
            }
            result.append(
                Building(
                    id: "SYN-\(town.code)-\(String(index + 1).leftPadded(to: 5))", position: position,
                    structure: row.isWooden ? .wooden : .nonWoodenUnspecified, constructionYear: year, floors: floors,
                    floorArea: (footprintArea * Double(floors)).rounded(), use: .unknown, fireResistance: nil,
                    seismicRetrofit: .none, footprint: square(around: position, area: footprintArea),
                    townCode: town.code, isSynthetic: true, assumedAttributes: Set(Building.Attribute.allCases)))
        }
        return result
    }

    private func randomPoint(in shape: GeoMultiPolygon, box: BoundingBox, using random: inout SplitMix64) -> GeoPoint {
        while true {
            let latitude = box.minLatitude + random.nextUnit() * (box.maxLatitude - box.minLatitude)
            let longitude = box.minLongitude + random.nextUnit() * (box.maxLongitude - box.minLongitude)
            // Inside the box of a valid polygon, so always a valid point.
            let point = GeoPoint(uncheckedLatitude: latitude, longitude: longitude)
            if shape.contains(point) { return point }
        }
    }

    private func square(around point: GeoPoint, area: Double) -> GeoPolygon {
        let half = area.squareRoot() / 2
        let metresPerDegree = GeoPoint.meanEarthRadius * Double.pi / 180
        let dLat = half / metresPerDegree
        let dLon = half / (metresPerDegree * cos(point.latitude * Double.pi / 180))
        let corners = [(-dLat, -dLon), (-dLat, dLon), (dLat, dLon), (dLat, -dLon), (-dLat, -dLon)].map {
            GeoPoint(uncheckedLatitude: point.latitude + $0.0, longitude: point.longitude + $0.1)
        }
        return GeoPolygon(validatedRings: [corners])
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

import GRDB

/// What a store holds, in figures: the summary `refd load` prints and the daemon serves.
public struct StoreSummary: Sendable, Hashable, Codable {
    /// Facilities by ``FacilityKind`` raw value.
    public var facilitiesByKind: [String: Int]
    /// Number of 町丁目.
    public var towns: Int
    /// Households in all towns.
    public var households: Int
    /// Residents in all towns.
    public var population: Int
    /// Residents aged 65 and over.
    public var elderly: Int
    /// Residents under 15.
    public var children: Int
    /// Buildings stored.
    public var buildings: Int
    /// Of which synthetic.
    public var syntheticBuildings: Int
    /// Of which real but with some fields assumed (``Building/assumedAttributes``).
    public var buildingsWithAssumedAttributes: Int
    /// Buildings by ``StructureClass`` raw value.
    public var buildingsByStructure: [String: Int]
    /// Planned capacity of the 震災救援所 (people), over those with a published capacity.
    public var reliefCentreCapacity: Int
    /// Relief centres without a published capacity.
    public var reliefCentresWithoutCapacity: Int
    /// Planned capacity of the 指定緊急避難場所 (people).
    public var emergencySiteCapacity: Int
    /// Relief-centre capacity per resident (1.0 would shelter everyone).
    public var reliefCentreCapacityPerResident: Double
}

/// The ward's reference records in a store: towns (町丁目) and facilities, saved whole and
/// read by id, kind, box, town and distance.
///
/// Two back ends give it: ``SuginamiStore`` (an SQLite file, R*Tree indexes) and
/// `PostgresStore` (SuginamiPostgreSQL) (PostgreSQL + PostGIS, GiST indexes). Both answer every query alike,
/// in the same order, with the same errors; the test suite runs on both.
public protocol ReferenceDataStore: Sendable {
    /// Where the records live, for messages (a URL never shows its password).
    var location: StoreLocation { get }

    /// Closes the store (a file's log is merged back, a pool's connections closed); no method
    /// may be called afterwards.
    func close() async throws

    /// Inserts or replaces towns by census code, as one transaction.
    /// - Throws: ``StoreError/invalidRecord(id:problems:)`` or ``StoreError/duplicateID(_:)``
    ///   before anything is written.
    func save(_ towns: [Town]) async throws

    /// All towns, ordered by census code.
    func towns() async throws -> [Town]

    /// The town with this census code, if any.
    func town(code: String) async throws -> Town?

    /// The town whose boundary contains the point, or `nil` outside every town.
    func town(containing point: GeoPoint) async throws -> Town?

    /// Inserts or replaces facilities by id, as one transaction.
    /// - Throws: ``StoreError/invalidRecord(id:problems:)`` or ``StoreError/duplicateID(_:)``
    ///   before anything is written.
    func save(_ facilities: [Facility]) async throws

    /// Deletes the facilities with these ids (their status history goes with them).
    func deleteFacilities(ids: [String]) async throws

    /// The facility with this id, if any.
    func facility(id: String) async throws -> Facility?

    /// All facilities, or those of the given kinds (all when empty), ordered by id.
    func facilities(kinds: Set<FacilityKind>) async throws -> [Facility]

    /// Facilities inside the box (edges included), of the given kinds (all when empty),
    /// ordered by id.
    func facilities(in box: BoundingBox, kinds: Set<FacilityKind>) async throws -> [Facility]

    /// The `count` facilities nearest to `point` by great-circle distance
    /// (``GeoPoint/distance(to:)``), nearest first, ties broken by id.
    /// - Throws: ``StoreError/invalidArgument(_:)`` when `count` is below 1.
    func nearestFacilities(to point: GeoPoint, count: Int, kinds: Set<FacilityKind>) async throws
        -> [NearbyFacility]

    /// How many facilities the store holds of each kind.
    func facilityCounts() async throws -> [FacilityKind: Int]

    /// Saves imported facilities in one transaction, doing with records already stored under
    /// the same id what `existing` says, and reports what was kept or lost.
    /// - Throws: ``StoreError/alreadyStored(_:)`` under ``ExistingFacilityPolicy/refuse``, and
    ///   the errors of `save(_:)`; nothing is written then.
    func importFacilities(_ facilities: [Facility], existing: ExistingFacilityPolicy) async throws
        -> FacilityImportSummary
}

extension ReferenceDataStore {
    /// Imports facilities, merging them field by field into records stored under the same id.
    public func importFacilities(_ facilities: [Facility]) async throws -> FacilityImportSummary {
        try await importFacilities(facilities, existing: .merge)
    }

    /// All facilities, ordered by id.
    public func facilities() async throws -> [Facility] {
        try await facilities(kinds: [])
    }

    /// Facilities inside the box (edges included), ordered by id.
    public func facilities(in box: BoundingBox) async throws -> [Facility] {
        try await facilities(in: box, kinds: [])
    }

    /// The `count` facilities of any kind nearest to `point`.
    public func nearestFacilities(to point: GeoPoint, count: Int) async throws -> [NearbyFacility] {
        try await nearestFacilities(to: point, count: count, kinds: [])
    }

    /// Facilities inside a town's boundary, of the given kinds (all when empty), ordered by id.
    /// - Throws: ``StoreError/invalidArgument(_:)`` when the store has no town with that code.
    public func facilities(inTown code: String, kinds: Set<FacilityKind> = []) async throws -> [Facility] {
        guard let town = try await town(code: code) else {
            throw StoreError.invalidArgument("no town with code \(code)")
        }
        return try await facilities(in: town.boundary.boundingBox, kinds: kinds).filter {
            town.boundary.contains($0.position)
        }
    }
}

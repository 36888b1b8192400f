import GRDB

extension SuginamiStore {
    /// Saves imported facilities in one transaction, doing with records already stored under the
    /// same id what `existing` says, and reports what was kept or lost.
    /// - Throws: ``StoreError/alreadyStored(_:)`` under ``ExistingFacilityPolicy/refuse``, and the
    ///   errors of `save(_:)`; nothing is written then.
    public func importFacilities(_ facilities: [Facility], existing: ExistingFacilityPolicy) async throws
        -> FacilityImportSummary
    {
        try await write { transaction in
            var stored: [String: Facility] = [:]
            for facility in facilities {
                if let old = try String.fetchOne(
                    transaction.db, sql: "SELECT document FROM facility WHERE id = ?", arguments: [facility.id])
                {
                    stored[facility.id] = try DocumentCoding.decode(Facility.self, from: old)
                }
            }
            let (merged, summary) = try FacilityImportPlan.plan(facilities, stored: stored, existing: existing)
            try transaction.save(merged)
            return summary
        }
    }
}

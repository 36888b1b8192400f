/// What an import does with a facility the store already holds under the same id.
public enum ExistingFacilityPolicy: String, Sendable, Hashable, CaseIterable {
    /// Field by field: what the file gives replaces, what it leaves empty keeps the stored value
    /// (a GSI emergency-site list has no capacities; the ward's do). The default.
    case merge
    /// The file's record replaces the stored one whole, empty fields included.
    case replace
    /// Nothing is written if any id is already stored.
    case refuse
}

/// What an import of facilities changed.
public struct FacilityImportSummary: Sendable, Hashable {
    /// Records that were not stored before.
    public var added = 0
    /// Stored records that the import updated.
    public var updated = 0
    /// Per field, how many stored values were kept because the file had none (``ExistingFacilityPolicy/merge``).
    public var keptValues: [String: Int] = [:]
    /// Per field, how many stored values were lost because the file had none (``ExistingFacilityPolicy/replace``).
    public var droppedValues: [String: Int] = [:]
    /// Places of capacity kept from the stored records.
    public var keptCapacity = 0
    /// Places of capacity lost from the stored records.
    public var droppedCapacity = 0
}

/// What a facility import writes and what it reports, from the records already stored under
/// the same ids: one plan for both back ends.
package enum FacilityImportPlan {
    package static func plan(_ facilities: [Facility], stored: [String: Facility], existing: ExistingFacilityPolicy)
        throws
        -> (merged: [Facility], summary: FacilityImportSummary)
    {
        var summary = FacilityImportSummary()
        var merged: [Facility] = []
        var replaced: [String] = []
        for facility in facilities {
            guard let old = stored[facility.id] else {
                summary.added += 1
                merged.append(facility)
                continue
            }
            replaced.append(facility.id)
            summary.updated += 1
            let (combined, kept) = facility.filling(from: old)
            switch existing {
            case .merge:
                merged.append(combined)
                for field in kept { summary.keptValues[field, default: 0] += 1 }
                if facility.capacity == nil { summary.keptCapacity += old.capacity ?? 0 }
            case .replace, .refuse:
                merged.append(facility)
                for field in kept { summary.droppedValues[field, default: 0] += 1 }
                if facility.capacity == nil { summary.droppedCapacity += old.capacity ?? 0 }
            }
        }
        if existing == .refuse, !replaced.isEmpty { throw StoreError.alreadyStored(replaced) }
        return (merged, summary)
    }
}

extension Facility {
    /// This record with the optional fields it leaves empty taken from `old`, and the names of
    /// the fields so taken.
    package func filling(from old: Facility) -> (Facility, [String]) {
        var result = self
        var kept: [String] = []
        func fill<Value>(_ path: WritableKeyPath<Facility, Value?>, _ name: String) {
            if result[keyPath: path] == nil, let value = old[keyPath: path] {
                result[keyPath: path] = value
                kept.append(name)
            }
        }
        fill(\.capacity, "capacity")
        fill(\.nameKana, "nameKana")
        fill(\.nameEnglish, "nameEnglish")
        fill(\.hazardSuitability, "hazardSuitability")
        fill(\.alsoDesignatedOtherKind, "alsoDesignatedOtherKind")
        fill(\.acceptedGroups, "acceptedGroups")
        fill(\.storedWaterLitres, "storedWaterLitres")
        fill(\.hospitalRole, "hospitalRole")
        if result.coveredDistricts.isEmpty, !old.coveredDistricts.isEmpty {
            result.coveredDistricts = old.coveredDistricts
            kept.append("coveredDistricts")
        }
        if !result.isWelfareShelter, old.isWelfareShelter {
            result.isWelfareShelter = true
            kept.append("isWelfareShelter")
        }
        return (result, kept)
    }
}

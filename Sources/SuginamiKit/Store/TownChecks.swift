extension Collection where Element == Town {
    /// Checks towns before a store writes them: an 11-digit census code, households not
    /// negative, no code twice. The same checks on both back ends.
    package func validateForStore() throws(StoreError) {
        var seen = Set<String>()
        for town in self {
            guard town.code.count == 11, town.code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw .invalidRecord(id: town.code, problems: ["code is not an 11-digit census code"])
            }
            guard town.households >= 0 else {
                throw .invalidRecord(id: town.code, problems: ["households is negative"])
            }
            guard seen.insert(town.code).inserted else { throw .duplicateID(town.code) }
        }
    }
}

/// Hands out node and cluster ids that never collide: a state is named by its step id (unique
/// and never `end`); the extra nodes and clusters take the first free of `name`, `name_2`, …
/// in the order they are asked for, so the same plan always gets the same names.
struct GraphNames {
    private var taken: Set<String>

    init(stepIDs: [String]) {
        taken = Set(stepIDs)
    }

    mutating func unique(_ name: String) -> String {
        var candidate = name
        var suffix = 2
        while taken.contains(candidate) {
            candidate = "\(name)_\(suffix)"
            suffix += 1
        }
        taken.insert(candidate)
        return candidate
    }
}

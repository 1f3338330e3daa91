import ApexDSL

/// Where a list of steps runs: the top level, or one `foreach` iteration (a `parallel` branch
/// shares the scope of its step).
///
/// The scope prefixes step keys (`each[2]/summarize`), says where `steps.<id>` is looked up
/// (its own scope first, then the enclosing ones) and binds the `foreach` names.
struct StepScope: Sendable {
    /// The prefix of the keys of steps in this scope: `""` at the top level, `each[2]/` in an
    /// iteration, `outer[1]/inner[0]/` nested.
    let prefix: String
    /// The prefixes of this scope and of every enclosing one, outermost first.
    let chain: [String]
    /// The `foreach` element names and `index` visible here, innermost winning.
    let bindings: [String: JSONValue]

    /// The top-level scope.
    static let top = StepScope(prefix: "", chain: [""], bindings: [:])

    /// The key of step `stepID` in this scope.
    func key(_ stepID: String) -> String { prefix + stepID }

    /// The scope of iteration `index` of the `foreach` step keyed `key` (a step of this scope),
    /// with `element` bound to `value`.
    func iteration(of key: String, index: Int, element: String, value: JSONValue) -> StepScope {
        let prefix = "\(key)[\(index)]/"
        var bindings = bindings
        bindings[element] = value
        bindings["index"] = .int(index)
        return StepScope(prefix: prefix, chain: chain + [prefix], bindings: bindings)
    }
}

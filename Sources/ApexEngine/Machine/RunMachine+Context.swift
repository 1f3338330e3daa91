import ApexDSL
import OrderedCollections

/// The values expressions see while deciding.
extension RunMachine {
    /// The roots for evaluating a step's fields in `scope`: `input`, `vars`, `run`, `steps`, and
    /// the `foreach` names and `index` bound there. Never `secrets`.
    func context(for scope: StepScope) -> EvaluationContext {
        var roots = scope.bindings
        roots["input"] = start?.input ?? .null
        roots["vars"] = .object(vars)
        roots["run"] = start?.run ?? .null
        roots["steps"] = steps(in: scope)
        return EvaluationContext(roots: roots)
    }

    /// `steps`: the latest visit of each step id, looked up from `scope` outward (inside an
    /// iteration its own steps first, then the enclosing scopes').
    private func steps(in scope: StepScope) -> JSONValue {
        var object = OrderedDictionary<String, JSONValue>()
        for prefix in scope.chain {
            for (stepID, index) in latestByScope[prefix] ?? [:] {
                object[stepID] = visits[index].contextValue
            }
        }
        return .object(object)
    }
}

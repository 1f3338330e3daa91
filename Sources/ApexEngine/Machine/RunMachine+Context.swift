import ApexDSL
import OrderedCollections

/// The values expressions see while deciding.
extension RunMachine {
    /// The roots for evaluating a step's fields in `scope`: `input`, `vars`, `run`, `steps`, and
    /// the `foreach` names and `index` bound there. Never `secrets`.
    func context(for scope: StepScope) -> EvaluationContext {
        var roots = scope.bindings
        // One allocation instead of the growth steps of an empty dictionary: every decision
        // that evaluates anything builds a context.
        roots.reserveCapacity(scope.bindings.count + 4)
        roots["input"] = start?.input ?? .null
        roots["vars"] = .object(vars)
        roots["run"] = start?.run ?? .null
        roots["steps"] = steps(in: scope)
        return EvaluationContext(roots: roots)
    }

    /// `steps`: the latest visit of each step id, looked up from `scope` outward (inside an
    /// iteration its own steps first, then the enclosing scopes').
    private func steps(in scope: StepScope) -> JSONValue {
        // At the top level that is the scope's kept object itself, shared, not rebuilt.
        guard scope.chain.count > 1 else { return .object(stepsByScope[scope.prefix] ?? [:]) }
        var object = stepsByScope[scope.chain[0]] ?? [:]
        for prefix in scope.chain.dropFirst() {
            for (stepID, value) in stepsByScope[prefix] ?? [:] { object[stepID] = value }
        }
        return .object(object)
    }

    /// Changes the record of visit `index`, keeping what `steps.<id>` reads of it current.
    mutating func changeRecord(_ index: Int, _ change: (inout StepRecord) -> Void) {
        change(&visits[index].record)
        publishContextValue(of: index)
    }

    /// Puts the `steps.<id>` value of visit `index` in its scope's ``stepsByScope`` object, if
    /// it is the latest visit of its step (an older visit's changes are not what `steps` reads).
    mutating func publishContextValue(of index: Int) {
        guard visitCounts[visits[index].record.key] == visits[index].record.visit else { return }
        let prefix = frames[visits[index].frame].scope.prefix
        stepsByScope[prefix, default: [:]][visits[index].stepID] = visits[index].contextValue
    }
}

import ApexCompiler
import ApexDSL

/// The payload of a state's action, for tests that know its kind: nil for another kind.
extension PlanState {
    var choice: PlanSwitch? {
        if case .switch(let choice) = action { choice } else { nil }
    }

    var branches: [PlanBranch]? {
        if case .parallel(let branches) = action { branches } else { nil }
    }

    var loop: PlanLoop? {
        if case .foreach(let loop) = action { loop } else { nil }
    }

    var llm: LLMOptions? {
        if case .llm(let options) = action { options } else { nil }
    }

    var wait: PlanWait? {
        if case .wait(let wait) = action { wait } else { nil }
    }
}

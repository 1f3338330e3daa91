import ApexDSL

// Transition table of a compiled plan. `S` is a state, `next(S)` its ``PlanState/onCompleted``
// (its `next`, else the following step, else the end of its list), `L` the list S is in.
//
//   run started                         --> lists[0].entry
//   S any       --condition false--------> next(S)                    S is `skipped`
//   S any       --visit > maxVisits------> the run fails with `loop.limit`
//   S activity  --completed--------------> next(S)                    llm, http, workflow
//   S activity  --attempt failed---------> S again after the back-off  while `retry` allows it
//                                                                       (durable timer); an attempt
//                                                                       past `timeout` fails `timeout`
//   S activity  --last attempt failed----> failed(e)                  non-retryable or out of attempts
//   S sleep     --timer fired------------> next(S)
//   S wait      --signal consumed--------> next(S)
//   S wait      --timeout----------------> failed(`timeout`)
//   S set       --completed--------------> next(S)
//   S switch    --case i is the first true-> cases[i].target
//   S switch    --no case true-----------> defaultTarget              `default`, else next(S)
//   S fail      --entered----------------> failed(fail.error)
//   S parallel  --started----------------> every branch's entry, at once
//   S parallel  --all branches ended-----> next(S)                    the join; output by branch
//   S parallel  --a branch failed(e)-----> cancel the other branches, failed(e)
//   S foreach   --started----------------> body entry per element, at most `concurrency` at once
//   S foreach   --all iterations ended---> next(S)                    the join; outputs in order
//   S foreach   --an iteration failed(e)-> cancel the others, failed(e)
//   S any       failed(e) --catches[i] is the first to match e--> catches[i].target
//   S any       failed(e) --no catch matches--> L fails with e:
//                                        L = lists[0]: the run fails;
//                                        else L's owner state fails with e (its catches apply)
//   end of lists[0]                     --> the run completes (`output` is evaluated)
//   end of a branch or body list        --> reported to the owner's join
//
// `next`, `switch` and `catch` never leave their list, so every target above is a state of L
// or the end of L; a list's states start only from its entry or from each other.

/// The compiled state machine of a workflow: a pure value with no I/O, the same for the same
/// workflow document, identified by ``definitionHash``.
///
/// It has one state per step, including the steps of `parallel` branches and `foreach` bodies;
/// a `parallel` or `foreach` state also plays the join of its lists.
///
/// ## Usage
/// ```swift
/// let result = WorkflowValidator.validate(data: data, path: path)
/// let plan = try Compiler.compile(result)
/// print(plan.mermaid)
/// ```
public struct Plan: Sendable {
    /// The version of the plan's format, and of the definition hash; bumped on any change that
    /// alters either.
    public static let formatVersion = 1

    /// The workflow's `name`.
    public let workflowName: String
    /// Lowercase hex SHA-256 of the workflow document's canonical JSON (see ``Plan/hash(of:)``):
    /// what a run pins.
    public let definitionHash: String
    /// Every state, indexed by ``StateID``.
    public let states: [PlanState]
    /// Every list, indexed by ``ListID``; list 0 is the top-level `steps`.
    public let lists: [PlanList]

    /// The JSON Schema of the run input.
    public let input: JSONSchema?
    /// The initial variables, in order.
    public let vars: [Assignment]
    /// What the run outputs when it completes.
    public let output: TemplateValue?
    /// The limit on the whole run; nil means none.
    public let timeout: Duration?
    /// The queue the workflow names for its runs (`task_queue:`); nil for the default.
    public let taskQueue: String?
    /// The workflow's `defaults` (already applied to each state's retry, timeout and visits).
    public let defaults: StepDefaults

    /// The state of each step id.
    let stateIDs: [String: StateID]

    /// Where a run starts.
    public var entry: PlanTarget { lists[0].entry }

    /// The state with id `id`.
    public subscript(id: StateID) -> PlanState { states[id] }

    /// The state of the step with id `stepID`, if there is one.
    public func state(forStep stepID: String) -> PlanState? {
        stateIDs[stepID].map { states[$0] }
    }

    /// The list in which reaching the end of `list` is reported: its owner's, or nil for the
    /// top level (where the run completes).
    public func owner(of list: ListID) -> PlanState? {
        lists[list].owner.map { states[$0] }
    }
}

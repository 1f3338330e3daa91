/// The index of a state in ``Plan/states``: one state per step, numbered in document order
/// (a `parallel` or `foreach` step comes before the steps of its branches or body).
public typealias StateID = Int

/// The index of a list in ``Plan/lists``: 0 is the top-level `steps`, then every parallel branch
/// and foreach body in document order.
public typealias ListID = Int

/// Where a transition goes: a state of the same list, or the end of that list.
///
/// Reaching the end of list 0 completes the run; reaching the end of a branch or body reports to
/// the join of the list's owner (the `parallel` or `foreach` state).
public enum PlanTarget: Sendable, Hashable {
    /// A state of the list the transition starts in.
    case state(StateID)
    /// The end of a list (`next: end`, or past its last step).
    case endOfList(ListID)

    /// The state, when the target is one.
    public var state: StateID? {
        if case .state(let id) = self { id } else { nil }
    }
}

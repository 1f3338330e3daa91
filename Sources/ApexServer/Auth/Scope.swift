/// What a bearer token may do, granted by its `scope` claim (docs/security.md, "Scopes").
///
/// Scopes are independent: `runs:write` does not imply `runs:read`. A token without a `scope`
/// claim gets ``runsRead`` only, so a token minted without thought can look but not act.
public enum Scope: String, CaseIterable, Sendable {
    /// List and show runs, their histories and live events.
    case runsRead = "runs:read"
    /// Start and cancel runs.
    case runsWrite = "runs:write"
    /// Send signals to runs.
    case signalsWrite = "signals:write"
    /// Register workflow definitions.
    case workflowsWrite = "workflows:write"

    /// What a token gets without a `scope` claim.
    public static let withoutClaim: Set<Scope> = [.runsRead]

    /// The scopes of a `scope` claim: space-separated (RFC 8693, section 4.2); names this server
    /// does not know are ignored, so an identity provider may add its own.
    ///
    /// - Parameter claim: The claim's value, or nil when the token has none.
    /// - Returns: The known scopes it names (``withoutClaim`` when `claim` is nil).
    public static func granted(by claim: String?) -> Set<Scope> {
        guard let claim else { return withoutClaim }
        return Set(claim.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Scope(rawValue: String($0)) })
    }
}

/// Why a history cannot drive a run. The two cases never blur: nondeterminism means the
/// workflow changed against the history; fatal means the history itself is corrupt.
public enum EngineFault: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable code of fatal faults (nondeterminism carries ``NondeterminismError/code``).
    public static let fatalCode = "APEX-R002"

    /// The workflow decides something other than what the history records (`APEX-R001`).
    case nondeterminism(NondeterminismError)
    /// Corrupt history (`APEX-R002`): a gap in seq, an event after the end of the run, or an event
    /// that makes no sense in the run's current state (an unknown step visit or timer, a
    /// decision the run would not make).
    case fatal(String)

    /// `APEX-R001` or `APEX-R002`.
    public var code: String {
        switch self {
        case .nondeterminism: NondeterminismError.code
        case .fatal: Self.fatalCode
        }
    }

    public var description: String {
        switch self {
        case .nondeterminism(let error): error.description
        case .fatal(let message): "[\(Self.fatalCode)] corrupt history: \(message)"
        }
    }
}

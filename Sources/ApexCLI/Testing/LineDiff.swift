import ApexDSL
import OrderedCollections

/// A line diff of two JSON values, printed with sorted keys so that only real differences show:
/// `- ` lines are expected and missing, `+ ` lines are actual and unexpected.
enum LineDiff {
    static func render(expected: JSONValue, actual: JSONValue) -> String {
        let old = sorted(expected).prettyJSON.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let new = sorted(actual).prettyJSON.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return lines(old, new).joined(separator: "\n")
    }

    /// The lines of `old` and `new` marked by a longest common subsequence (outputs are small).
    static func lines(_ old: [String], _ new: [String]) -> [String] {
        var common = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                common[i][j] = old[i] == new[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var out: [String] = []
        var i = 0, j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                out.append("  " + old[i]); i += 1; j += 1
            } else if i < old.count, j == new.count || common[i + 1][j] >= common[i][j + 1] {
                out.append("- " + old[i]); i += 1
            } else {
                out.append("+ " + new[j]); j += 1
            }
        }
        return out
    }

    private static func sorted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let fields):
            var out: OrderedDictionary<String, JSONValue> = [:]
            for key in fields.keys.sorted() { out[key] = sorted(fields[key]!) }
            return .object(out)
        case .array(let items): return .array(items.map(sorted))
        default: return value
        }
    }
}

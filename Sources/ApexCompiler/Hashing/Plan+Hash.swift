import ApexDSL
import Crypto

extension Plan {
    /// What the canonical document is prefixed with before hashing: names the scheme, so that a
    /// future format cannot produce the same hash from the same document by accident.
    public static let hashPrefix = "apex-plan-v\(formatVersion)\n"

    /// The definition hash of a workflow document: lowercase hex SHA-256 of ``hashPrefix``
    /// followed by the document's ``CanonicalJSON`` text.
    ///
    /// Comments, formatting, quoting styles and key order do not change it (they are not in the
    /// document's JSON); any change of a value does, descriptions and names included.
    public static func hash(of document: JSONValue) -> String {
        let bytes = Array((hashPrefix + CanonicalJSON.text(of: document)).utf8)
        return SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

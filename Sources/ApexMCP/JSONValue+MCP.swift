import ApexDSL
import Foundation
import MCP
import OrderedCollections

extension JSONValue {
    /// The SDK's value as Apex's JSON. Object keys are sorted by code point (the SDK keeps
    /// objects as dictionaries, so their order on the wire is lost; sorted, the same answer
    /// always gives the same value). A string the SDK read as a `data:` URL is written back
    /// as one.
    package init(_ value: MCP.Value) {
        switch value {
        case .null: self = .null
        case .bool(let bool): self = .bool(bool)
        case .int(let int): self = .int(int)
        case .double(let double): self = .double(double)
        case .string(let string): self = .string(string)
        case .data(let mimeType, let data): self = .string(data.dataURLEncoded(mimeType: mimeType))
        case .array(let array): self = .array(array.map(JSONValue.init))
        case .object(let object):
            let keys = object.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) { $0.value < $1.value } }
            self = .object(OrderedDictionary(uniqueKeysWithValues: keys.map { ($0, JSONValue(object[$0]!)) }))
        }
    }
}

extension MCP.Value {
    /// Apex's JSON as the SDK's value (object key order is not kept: the SDK's objects are dictionaries).
    package init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let bool): self = .bool(bool)
        case .int(let int): self = .int(int)
        case .double(let double): self = .double(double)
        case .string(let string): self = .string(string)
        case .array(let array): self = .array(array.map(MCP.Value.init))
        case .object(let object): self = .object(Dictionary(uniqueKeysWithValues: object.map { ($0.key, MCP.Value($0.value)) }))
        }
    }
}

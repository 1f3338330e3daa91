/// One `key: value` of an object literal `{k: v, 'any key': v}`.
public struct ObjectEntry: Sendable, Hashable {
    public var key: String
    public var value: Expression

    public init(key: String, value: Expression) {
        self.key = key
        self.value = value
    }
}

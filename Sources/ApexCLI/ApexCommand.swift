import ArgumentParser

public struct ApexCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "apex")
    public init() {}
}

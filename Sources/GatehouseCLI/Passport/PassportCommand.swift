import ArgumentParser

/// `gatehouse passport …`
struct PassportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passport",
        abstract: "Verify, inspect, and (for private registries) create AI Identity Passports.",
        subcommands: [VerifyCommand.self, InspectCommand.self, KeygenCommand.self, IssueCommand.self]
    )
}

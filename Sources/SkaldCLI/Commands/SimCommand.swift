import ArgumentParser

/// `skald sim`: runs the Discord simulator. (Being written.)
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sim", abstract: "Run the Discord simulator.")
}

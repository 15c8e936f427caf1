import Foundation

/// Where Gatehouse keeps state: `$XDG_STATE_HOME/gatehouse`, else `~/.local/state/gatehouse`.
enum StateDirectory {
    static var path: String {
        let environment = ProcessInfo.processInfo.environment
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/gatehouse" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/gatehouse"
    }
}

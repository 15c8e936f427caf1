import Foundation
import OAuth
import TerminalText

/// Reads stdin on its own thread until a line parses as a redirect URL with a query (the pasted address).
enum PastedRedirect {
    /// Calls `found` with the first pasted redirect's parameters; nothing when stdin ends first.
    static func readInBackground(_ found: @escaping @Sendable (CallbackParameters) -> Void) {
        Thread.detachNewThread {
            while let line = readLine() {
                if let parameters = CallbackParameters(redirectURL: line) {
                    found(parameters)
                    return
                }
                if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    Console.error("login: that is not a redirect address with a query (…/callback?code=…&state=…); paste it again")
                }
            }
        }
    }
}

import CEdit
import Foundation
import TestSupport
import Testing

/// The libedit shim links and its typed wrappers over the variadic `history()` work (the REPL builds on it).
struct LibEditShimTests {
    @Test("history entries survive a save and a load through the typed wrappers")
    func historyRoundTrip() throws {
        let path = try Repository.temporaryDirectory() + "/history"
        var event = HistEvent()
        let history = try #require(history_init())
        defer { history_end(history) }
        #expect(cedit_history_set_size(history, &event, 100) == 0)
        #expect(cedit_history_enter(history, &event, "tools weather") >= 0)
        #expect(cedit_history_enter(history, &event, "call weather.get_forecast city=Oslo") >= 0)
        #expect(cedit_history_save(history, &event, path) == 2)
        let reloaded = try #require(history_init())
        defer { history_end(reloaded) }
        #expect(cedit_history_load(reloaded, &event, path) == 2)
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        #expect(saved.contains("get_forecast"))
    }
}

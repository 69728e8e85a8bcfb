// The on-screen keyboard inside the kiosk window; kiosk/keyboard.py hosts it in a
// QQuickWidget and sets `locales` and `keyboardHeight`. Everything else is Qt's.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Rectangle {
    id: root

    // The resident's language first; the language key moves through the list.
    property var locales: ["en_US"]
    // Height of the key area in pixels. Qt keeps the keyboard's design aspect ratio, so
    // the key area is this tall and as wide as the ratio makes it (at most the window's
    // width), centred.
    property int keyboardHeight: 450
    // The word-candidate strip above the keys, for the languages that pick words from
    // candidates (Pinyin, Japanese); the others do without its height.
    property bool candidates: true

    readonly property var keyboardStyle: inputPanel.keyboard.style
    readonly property string locale: InputContext.locale
    readonly property real keyGap: keyboardStyle ? 2 * keyboardStyle.keyBackgroundMargin : 0
    readonly property bool ready: inputPanel.keyboard.keyboardLayoutLoader.status === Loader.Ready
                                  && inputPanel.keyboard.locale === VirtualKeyboardSettings.locale

    // Changes whenever the keys on screen may have been made anew: kiosk/keyboard.py then
    // gives them their names for screen readers (Qt gives them none).
    readonly property var keySet: [inputPanel.keyboard.keyboardLayoutLoader.item, InputContext.locale,
                                   InputContext.uppercase, InputContext.inputEngine.inputMode,
                                   symbolMode, ready]
    // Changes with each letter typed in Chinese or Japanese: the words offered, named too.
    readonly property var candidateSet: [InputContext.preeditText,
                                         inputPanel.keyboard.wordCandidateView.count]
    readonly property bool symbolMode: inputPanel.keyboard.symbolMode

    // Room for the word-candidate strip where the language picks words from candidates
    // (Pinyin, Japanese), kept when the resident switches to Latin letters and back: the
    // keyboard's height changes with the kiosk's language only.
    implicitHeight: inputPanel.keyboard.height
                    + (keyboardStyle && candidates ? keyboardStyle.selectionListHeight : 0)
    color: keyboardStyle ? keyboardStyle.keyboardBackgroundColor : "black"

    function apply() {
        // Only the kiosk's languages, in this order. No hide key: the keyboard stays while
        // a text question is on screen. The language key only when there is a choice.
        VirtualKeyboardSettings.activeLocales = locales
        VirtualKeyboardSettings.locale = locales[0]
        VirtualKeyboardSettings.visibleFunctionKeys = locales.length > 1
            ? QtVirtualKeyboard.KeyboardFunctionKeys.Language
            : QtVirtualKeyboard.KeyboardFunctionKeys.None
    }

    function reset() {
        inputPanel.keyboard.symbolMode = false
        apply()
    }

    onLocalesChanged: apply()
    onCandidatesChanged: VirtualKeyboardSettings.wordCandidateList.alwaysVisible = candidates
    Component.onCompleted: {
        // The candidate strip stays in place instead of appearing with the first letter.
        VirtualKeyboardSettings.wordCandidateList.alwaysVisible = candidates
        VirtualKeyboardSettings.handwritingModeDisabled = true
        apply()
    }

    InputPanel {
        id: inputPanel
        objectName: "inputPanel"
        anchors.bottom: parent.bottom
        anchors.horizontalCenter: parent.horizontalCenter
        width: {
            const s = keyboard.style
            if (!s || s.keyboardDesignHeight <= 0)
                return root.width
            return Math.min(root.width, root.keyboardHeight * s.keyboardDesignWidth / s.keyboardDesignHeight)
        }
        // One tap on the language key moves to the next language (Qt's default opens a
        // list to choose from, a second tap).
        externalLanguageSwitchEnabled: true
        onExternalLanguageSwitch: (localeList, currentIndex) => {
            VirtualKeyboardSettings.locale = localeList[(currentIndex + 1) % localeList.length]
        }
    }
}

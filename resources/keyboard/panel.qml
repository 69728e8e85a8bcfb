// The on-screen keyboard inside the kiosk window; kiosk/keyboard.py hosts it in a
// QQuickWidget and sets `locales` and `keyboardHeight`. Everything else is Qt's.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import QtQuick.VirtualKeyboard.Styles

Rectangle {
    id: root

    // The resident's language first; the language key moves through the list.
    property var locales: ["en_US"]
    // Height of the key area in pixels. Qt keeps the keyboard's design aspect ratio, so
    // the key area is this tall and as wide as the ratio makes it (at most the window's
    // width), centred.
    property int keyboardHeight: 450
    // Least empty space between two keys, in pixels (2.5 mm on this screen). Qt's style
    // draws round(8 * scaleHint) on each side of a key, scaleHint being the key area's
    // width over the style's design width: on a narrow window (1280 px) that is 2 mm.
    property int keyGapAtLeast: 0
    // The key area as wide as the window allows (a short window, 720 px, needs all of its
    // width to make its keys 12 mm tall in `keyboardHeight`), else at the style's ratio.
    property bool fullWidth: false
    // A letter key of our own for the flat key area: Qt's keeps round(40 * scale) around
    // its label (the scale going with the width), which in flat rows pushes the letters
    // out of their keys. Ours centres the letter in whatever height the key has, with its
    // second letter (Thai's shifted one) small in the corner.
    Component {
        id: flatLetterKey
        KeyPanel {
            id: letterKey
            readonly property real margin: root.keyboardStyle ? root.keyboardStyle.keyBackgroundMargin : 4
            Rectangle {
                id: face
                anchors.fill: parent
                anchors.margins: letterKey.margin
                radius: 4
                color: letterKey.control.pressed ? "#1565c0" : "#000a12"
                Text {
                    anchors.centerIn: parent
                    text: letterKey.control.displayText
                    color: letterKey.control.enabled ? "#ffffff" : "#80868b"
                    font.pixelSize: Math.max(12, Math.round(Math.min(face.height * 0.5, face.width * 0.45)))
                }
                Text {
                    anchors.top: parent.top
                    anchors.right: parent.right
                    anchors.margins: 3
                    visible: letterKey.control.smallTextVisible
                    text: letterKey.control.smallText
                    color: "#b0bec5"
                    font.pixelSize: Math.max(10, Math.round(face.height * 0.28))
                }
            }
        }
    }
    Binding {
        when: root.fullWidth && root.keyboardStyle !== null
        target: root.keyboardStyle
        property: "keyPanel"
        value: flatLetterKey
    }
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

    // The style's design size, changed only for a full-width key area: a design width
    // whose scale gives keyGapAtLeast, and a design height that makes the keys
    // `keyboardHeight` tall at that width (the key area's height is its width times the
    // design height over the design width).
    readonly property real designWidth: {
        // 0.4, not 0.5: rounding the design height must not bring the scale under it.
        const half = Math.ceil(keyGapAtLeast / 2) - 0.4
        return half > 0 && root.width > 0 ? Math.min(2560, Math.floor(8 * root.width / half)) : 2560
    }
    Binding {
        when: root.fullWidth && root.keyboardStyle !== null && root.width > 0
        target: root.keyboardStyle
        property: "keyboardDesignWidth"
        value: root.designWidth
    }
    Binding {
        when: root.fullWidth && root.keyboardStyle !== null && root.width > 0
        target: root.keyboardStyle
        property: "keyboardDesignHeight"
        value: root.width > 0 ? Math.round(root.keyboardHeight * root.designWidth / root.width) : 800
    }

    InputPanel {
        id: inputPanel
        objectName: "inputPanel"
        anchors.bottom: parent.bottom
        anchors.horizontalCenter: parent.horizontalCenter
        width: {
            const s = keyboard.style
            if (!s || s.keyboardDesignHeight <= 0 || root.fullWidth)
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

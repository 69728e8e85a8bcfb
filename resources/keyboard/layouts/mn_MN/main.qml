// Mongolian Cyrillic (Qt has none; its Russian layout lacks Ө and Ү). All 35 letters are
// one tap away on three rows (nothing hides behind press-and-hold), in the order of the
// standard Mongolian computer layout; е and щ, on that layout's number row, end the first
// two rows. Every row weighs 2080, so all letter keys are the same width.
// Symbols, digits, numbers and the dial pad are Qt's shared fallback layouts.
import QtQuick
import QtQuick.Layouts
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Components

KeyboardLayout {
    keyWeight: 160

    KeyboardRow {
        Key { key: 0x0424; text: "ф" }
        Key { key: 0x0426; text: "ц" }
        Key { key: 0x0423; text: "у" }
        Key { key: 0x0416; text: "ж" }
        Key { key: 0x042D; text: "э" }
        Key { key: 0x041D; text: "н" }
        Key { key: 0x0413; text: "г" }
        Key { key: 0x0428; text: "ш" }
        Key { key: 0x04AE; text: "ү" }
        Key { key: 0x0417; text: "з" }
        Key { key: 0x041A; text: "к" }
        Key { key: 0x042A; text: "ъ" }
        Key { key: 0x0415; text: "е" }
    }
    KeyboardRow {
        FillerKey { weight: 80 }
        Key { key: 0x0419; text: "й" }
        Key { key: 0x042B; text: "ы" }
        Key { key: 0x0411; text: "б" }
        Key { key: 0x04E8; text: "ө" }
        Key { key: 0x0410; text: "а" }
        Key { key: 0x0425; text: "х" }
        Key { key: 0x0420; text: "р" }
        Key { key: 0x041E; text: "о" }
        Key { key: 0x041B; text: "л" }
        Key { key: 0x0414; text: "д" }
        Key { key: 0x041F; text: "п" }
        Key { key: 0x0429; text: "щ" }
        FillerKey { weight: 80 }
    }
    KeyboardRow {
        ShiftKey { weight: 240 }
        Key { key: 0x042F; text: "я" }
        Key { key: 0x0427; text: "ч" }
        Key { key: 0x0401; text: "ё" }
        Key { key: 0x0421; text: "с" }
        Key { key: 0x041C; text: "м" }
        Key { key: 0x0418; text: "и" }
        Key { key: 0x0422; text: "т" }
        Key { key: 0x042C; text: "ь" }
        Key { key: 0x0412; text: "в" }
        Key { key: 0x042E; text: "ю" }
        BackspaceKey { weight: 240 }
    }
    KeyboardRow {
        SymbolModeKey { weight: 240 }
        ChangeLanguageKey { weight: 160 }
        Key { key: Qt.Key_Comma; text: ","; weight: 160; highlighted: true }
        SpaceKey { weight: 960 }
        Key { key: Qt.Key_Period; text: "."; weight: 160; highlighted: true }
        HideKeyboardKey { weight: 160 }
        EnterKey { weight: 240 }
    }
}

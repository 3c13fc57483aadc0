//! The words of the command line itself, in the reader's language: `--help` of every
//! command and the messages for a command typed wrong (`yorisoi biuld`).
//!
//! Owns the Japanese help and every usage message. The English help is the doc comments
//! of `main.rs`, which clap reads; clap's own English words (its headings, its defaults
//! and possible values, its usage errors) are replaced here, so that a Japanese locale
//! sees no English at all. Messages about a site are worded in `yorisoi::report`.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};
use yorisoi::report::MessageLanguage;

/// The Japanese words of a command: what it does in one line, then more.
struct CommandWords {
    /// The command's path of names: `[]` for `yorisoi`, `["new", "page"]`.
    path: &'static [&'static str],
    about: &'static str,
    long_about: &'static str,
}

const COMMANDS: [CommandWords; 9] = [
    CommandWords {
        path: &[],
        about: "content フォルダーから、公開する二か国語のサイトを作ります。",
        long_about: "content/ の Markdown と TOML を編集したら、`yorisoi serve` でブラウザーに表示して確かめ、`yorisoi check` ですべての問題を確かめ、`yorisoi build` で公開するフォルダーを作ります。",
    },
    CommandWords {
        path: &["build"],
        about: "サイトを出力フォルダー（省略時は public/）に書き出します",
        long_about: "サイトを出力フォルダー（省略時は public/）に書き出します。\n\nビルド全体が成功したときだけ、前の出力を置き換えます。エラーがあれば、前の出力はそのまま残ります。エラーがあると終了コード 1 で終わります。警告は表示しますが、ビルドは止めません。",
    },
    CommandWords {
        path: &["check"],
        about: "ビルドと同じ確認をすべて行います。何も書き出しません",
        long_about: "ビルドと同じ確認をすべて行います。何も書き出しません。\n\n警告（翻訳がない、画面の文言がない など）でも失敗するので、公開の前に実行するコマンドです。出典が1年以上前か日付のない情報も「要確認」として示します（失敗になるのは --strict のときだけ）。失敗になるものがあれば、終了コード 1 で終わります。",
    },
    CommandWords {
        path: &["serve"],
        about: "http://127.0.0.1:1111/ にサイトを表示し、保存するたびに更新します",
        long_about: "http://127.0.0.1:1111/ にサイトを表示し、保存するたびに更新します。\n\n確認用の表示はメモリーの中だけに作り、出力フォルダーには何も書きません。公開されるのは build が作るものだけです。下書きと公開日前のお知らせも、印を付けて表示します（build は公開しません）。保存すると変わったところを作り直し、開いているページを再読み込みします。誤りがあればページの上に表示し、直して保存するまで前の正しい表示を残します。Ctrl+C で止まります。",
    },
    CommandWords {
        path: &["publish"],
        about: "書き出したサイトを、サーバーが読むフォルダー（DEST）に公開します",
        long_about: "書き出したサイトを、サーバーが読むフォルダーか同期ツールがアップロードするフォルダー（DEST）に公開します。\n\n前回から変わったものだけを、読む人に必要な順にコピーします。ページ以外のファイルを先に、次にページ、最後にサイトからなくなったファイルを消します。ファイルはそれぞれ丸ごと置き換わります。DEST は空のフォルダーか、以前 yorisoi publish で公開したフォルダーでなければなりません。消すのは yorisoi が公開したファイルだけです。先に build（と check）を実行してください。途中で止まっても、もう一度実行すれば続きから公開します。",
    },
    CommandWords {
        path: &["new"],
        about: "ひな形から、新しいお知らせやページを始めます",
        long_about: "ひな形から、新しいお知らせやページを始めます。",
    },
    CommandWords {
        path: &["new", "news"],
        about: "お知らせを、サイトのすべての言語で始めます",
        long_about: "お知らせを、サイトのすべての言語で始めます。\n\ncontent/news/<今日の日付>-<slug>.<言語>.md を言語ごとに、日本時間の今日の日付で、下書きとして作り、そのパスを表示します。ファイルを置き換えることはありません。",
    },
    CommandWords {
        path: &["new", "page"],
        about: "ページを、サイトのすべての言語で始めます",
        long_about: "ページを、サイトのすべての言語で始めます。\n\ncontent/<path>.<言語>.md を言語ごとに下書きとして作り、そのパスを表示します。ファイルを置き換えることはありません。",
    },
    CommandWords {
        path: &["init"],
        about: "新しいサイトを始めます。DIR に最小の二か国語サイトと既定のテーマを作ります",
        long_about: "新しいサイトを始めます。DIR に最小の二か国語サイトと既定のテーマを作ります。\n\nDIR/content/（site.toml、トップページ、日本語と英語のページ1つ）と DIR/themes/default/ を作ります。そのままでビルドでき、check も通ります。次に content/site.toml のサイト名と公開先アドレスを書き換えてください。ファイルを置き換えることはありません。",
    },
];

/// The Japanese help of each option and argument, by its id, with what clap would add
/// in English (its default, its possible values) in the words themselves.
const ARGS: [(&str, &str); 14] = [
    (
        "content",
        "site.toml とページ・ファイルのあるフォルダー（省略時: content）",
    ),
    (
        "output",
        "サイトを書き出すフォルダー。ビルドのたびに全体を置き換えます（省略時: public）",
    ),
    (
        "base_url",
        "サイトの公開先アドレス。site.toml の base_url の代わりに使います",
    ),
    (
        "theme",
        "テーマのフォルダー（省略時: content フォルダーの隣の themes/<site.toml の theme>）",
    ),
    (
        "messages",
        "メッセージの言語: ja か en。省略時はロケール（LC_ALL、LC_MESSAGES、LANG）で決まります: ja_*・C・未設定なら日本語、ほかの言語なら英語",
    ),
    (
        "now",
        "日本時間のこの日付・時刻（例: 2026-04-08）として作ります。公開日前のお知らせの確認に",
    ),
    ("timings", "各段階にかかった時間も表示します"),
    (
        "strict",
        "「要確認」（出典が1年以上前か日付のない情報）でも失敗にします",
    ),
    (
        "port",
        "使うポートの番号。このコンピューターの中だけで開きます（省略時: 1111）",
    ),
    (
        "slug",
        "ファイル名と URL の最後の部分: 半角小文字の英字・数字・ハイフン（例: family-meeting）",
    ),
    (
        "path",
        "content フォルダーの中のページの場所（言語を除く）: 半角小文字の英字・数字・ハイフン、セクションのフォルダーの後は /（例: family-class、services/family-class）",
    ),
    ("dir", "サイトを作るフォルダー（なければ作ります）"),
    (
        "dest",
        "公開先のフォルダー（なければ作ります）。空のフォルダーか、以前 yorisoi publish で公開したフォルダー",
    ),
    ("from", "build が書き出したフォルダー（省略時: public）"),
];

/// `yorisoi help [command]` as `yorisoi [command] --help`: clap's own `help` command
/// would print English words of its own.
pub fn help_command_as_flag(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    if args.get(1).and_then(|a| a.to_str()) == Some("help") {
        args.remove(1);
        args.push("--help".into());
    }
    args
}

/// The command with its help in `lang`. English keeps clap's words; Japanese replaces
/// every one of them.
pub fn localize(command: Command, lang: MessageLanguage) -> Command {
    let command = command.disable_help_subcommand(true);
    localize_at(command, lang, &[])
}

fn localize_at(mut command: Command, lang: MessageLanguage, path: &[&str]) -> Command {
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for name in &names {
        let mut below: Vec<&str> = path.to_vec();
        below.push(name);
        command = command.mut_subcommand(name, |sub| localize_at(sub, lang, &below));
    }
    if lang == MessageLanguage::English {
        return command;
    }
    if let Some(words) = COMMANDS.iter().find(|w| w.path == path) {
        command = command.about(words.about).long_about(words.long_about);
    }
    let ids: Vec<String> = command
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let Some((_, help)) = ARGS.iter().find(|(arg, _)| *arg == id) else {
            continue;
        };
        command = command.mut_arg(id, |arg| {
            let heading = if arg.is_positional() {
                "引数"
            } else {
                "オプション"
            };
            let takes_values = arg.get_action().takes_values();
            arg.help(*help)
                .long_help(*help)
                .hide_default_value(takes_values)
                .hide_possible_values(takes_values)
                .help_heading(heading)
        });
    }
    // clap writes `[OPTIONS]` and `<COMMAND>` into the usage line: written here instead.
    let mut usage: Vec<String> = vec!["yorisoi".to_owned()];
    usage.extend(path.iter().map(|p| (*p).to_owned()));
    if command.has_subcommands() {
        usage.push("<コマンド>".to_owned());
    } else {
        usage.push("[オプション]".to_owned());
        usage.extend(command.get_positionals().map(|p| {
            let name = p
                .get_value_names()
                .and_then(|names| names.first())
                .map_or_else(
                    || p.get_id().to_string().to_uppercase(),
                    ToString::to_string,
                );
            format!("<{name}>")
        }));
    }
    command = command.override_usage(usage.join(" "));
    let command = command
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("このヘルプを表示します")
                .help_heading("オプション"),
        )
        .subcommand_help_heading("コマンド")
        .subcommand_value_name("コマンド")
        .help_template("{about-with-newline}\n使い方: {usage}\n\n{all-args}{after-help}");
    if path.is_empty() {
        command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("版（バージョン）を表示します")
                .help_heading("オプション"),
        )
    } else {
        command
    }
}

/// A command typed wrong, in `lang`: what is wrong, what was probably meant, the usage
/// and where to read more. English keeps clap's own message.
pub fn usage_error(error: &clap::Error, lang: MessageLanguage) -> String {
    if lang == MessageLanguage::English {
        return error.render().to_string();
    }
    let context = |kind: ContextKind| -> Vec<String> {
        match error.get(kind) {
            Some(ContextValue::String(s)) => vec![s.clone()],
            Some(ContextValue::Strings(list)) => list.clone(),
            Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
            Some(ContextValue::StyledStrs(list)) => list.iter().map(ToString::to_string).collect(),
            Some(ContextValue::Number(n)) => vec![n.to_string()],
            _ => Vec::new(),
        }
    };
    let first = |kind: ContextKind| context(kind).into_iter().next().unwrap_or_default();
    let quoted = |list: Vec<String>| {
        list.iter()
            .map(|s| format!("「{s}」"))
            .collect::<Vec<_>>()
            .join("、")
    };
    let suggested = |kind: ContextKind| {
        let list = context(kind);
        if list.is_empty() {
            String::new()
        } else {
            format!("{}のことですか？", quoted(list))
        }
    };
    let what = match error.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "「{}」というコマンドはありません。{}",
            first(ContextKind::InvalidSubcommand),
            suggested(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::UnknownArgument => format!(
            "「{}」というオプションはありません。{}",
            first(ContextKind::InvalidArg),
            suggested(ContextKind::SuggestedArg)
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let valid = context(ContextKind::ValidValue);
            format!(
                "{} の値「{}」は使えません。{}",
                first(ContextKind::InvalidArg),
                first(ContextKind::InvalidValue),
                if valid.is_empty() {
                    String::new()
                } else {
                    format!("使える値: {}", valid.join(", "))
                }
            )
        }
        ErrorKind::MissingRequiredArgument => format!(
            "{} を指定してください。",
            context(ContextKind::InvalidArg).join("、")
        ),
        ErrorKind::MissingSubcommand => "コマンドを指定してください。".to_owned(),
        ErrorKind::ArgumentConflict => format!(
            "{} は {} といっしょには使えません。",
            first(ContextKind::InvalidArg),
            context(ContextKind::PriorArg).join("、")
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => format!(
            "{} に値が多すぎるか足りません（「{}」）。",
            first(ContextKind::InvalidArg),
            first(ContextKind::InvalidValue)
        ),
        _ => "コマンドの書き方に誤りがあります。".to_owned(),
    };
    let usage = first(ContextKind::Usage);
    let usage = usage
        .trim()
        .strip_prefix("Usage:")
        .unwrap_or(usage.trim())
        .trim()
        .to_owned();
    let mut text = format!("エラー: {}", what.trim_end());
    if !usage.is_empty() {
        text.push_str(&format!("\n\n使い方: {usage}"));
    }
    text.push_str("\n\n詳しくは yorisoi --help をご覧ください（コマンドごとに yorisoi build --help など）。\n");
    text
}

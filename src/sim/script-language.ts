/**
 * The language a text's writing system gives away, for the languages whose script sets them
 * apart (Chinese, Japanese, Korean, Russian, Arabic, Thai, Bengali, Telugu). Latin-script and
 * mostly-English text gives null: telling Spanish from Portuguese needs more than a script.
 */
const SCRIPTS: ReadonlyArray<readonly [string, RegExp]> = [
  ['kana', /[\u3040-\u30ff]/g],
  ['han', /[\u4e00-\u9fff]/g],
  ['ko', /[\uac00-\ud7af]/g],
  ['ru', /[\u0400-\u04ff]/g],
  ['ar', /[\u0600-\u06ff]/g],
  ['th', /[\u0e00-\u0e7f]/g],
  ['bn', /[\u0980-\u09ff]/g],
  ['te', /[\u0c00-\u0c7f]/g],
];

/** Persian and Urdu letters: Arabic script, other languages. */
const NOT_ARABIC = /[\u067e\u0686\u0698\u06af\u06a9\u06cc\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2]/;

export function scriptLanguageOf(text: string): string | null {
  const sample = text.length > 600 ? text.slice(0, 600) : text;
  const latin = sample.match(/[A-Za-z\u00c0-\u024f]/g)?.length ?? 0;
  const counts = new Map<string, number>();
  let scripted = 0;
  for (const [name, pattern] of SCRIPTS) {
    const found = sample.match(pattern)?.length ?? 0;
    counts.set(name, found);
    scripted += found;
  }
  // Latin letters weigh a fifth of a CJK character: a Chinese sentence carries a fifth as many characters as its English one.
  if (scripted === 0 || scripted < latin * 0.2 || scripted < 8) return null;
  const kana = counts.get('kana')!;
  const han = counts.get('han')!;
  if (kana + han >= scripted * 0.6) return kana >= (kana + han) * 0.1 ? 'ja' : 'zh';
  for (const name of ['ko', 'ru', 'ar', 'th', 'bn', 'te']) {
    if (counts.get(name)! >= scripted * 0.6) return name === 'ar' && NOT_ARABIC.test(sample) ? null : name;
  }
  return null;
}

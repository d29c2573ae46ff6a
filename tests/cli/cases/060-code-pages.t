# issue 27 item 4: host code pages named in the spec, each read through iconv: IBM-1047 and IBM-500 (their
# brackets and caret are not IBM-037's), IBM-935 (Simplified Chinese, SO/SI), IBM-939 and IBM-930
# (Japanese), Big5-HKSCS; a code page this system's iconv lacks is refused by name when the spec is read.
# Each record is built here: the name through `iconv -t CODEPAGE`, padded with EBCDIC blanks, then 1234.56
# packed.
$ printf '       01 R.\n          05 NAME PIC X(24).\n          05 AMT PIC S9(5)V99 COMP-3.\n' > R.cpy && spec() { printf '{"spec":"t","source":"t","format":"fixed","encoding":"%s","copybook":"R.cpy","fields":[{"name":"name","from":"NAME"},{"name":"amt","from":"AMT","type":"amount"}],"targets":[{"entity":"party","key":"name","kind":"=person","name_latin":"name"}]}' "$1" > "$1.json"; } && rec() { printf '%s' "$2" | iconv -f UTF-8 -t "$1" > n.bin && cat n.bin && head -c $((24 - $(wc -c < n.bin))) /dev/zero | tr '\0' '\100' && printf '\x01\x23\x45\x6c'; } && show() { rapport load --spec "$1.json" "$2" --preview 1 --json | python3 -c "import json, sys; r = json.load(sys.stdin)[0]['records'][0]; print('$1', r['values']['name'], r['values']['amt'])"; } && rec IBM1047 '[Müller] {Söhne} ^|' > l.dat && rec IBM500 '[Müller] {Söhne} ^|' > i.dat && rec IBM-935 '中国工商银行' > s.dat && rec IBM-939 '東京三菱銀行abc' > j.dat && rec IBM-930 '東京三菱銀行' > k.dat && for c in IBM-1047 IBM-500 IBM-037 IBM-935 IBM-939 IBM-930; do spec $c; done && show IBM-1047 l.dat && show IBM-500 i.dat && show IBM-037 l.dat && show IBM-935 s.dat && show IBM-939 j.dat && show IBM-930 k.dat
> IBM-1047 [Müller] {Söhne} ^| 1234.56
> IBM-500 [Müller] {Söhne} ^| 1234.56
> IBM-037 ÝMüller¨ {Söhne} ¬| 1234.56
> IBM-935 中国工商银行 1234.56
> IBM-939 東京三菱銀行abc 1234.56
> IBM-930 東京三菱銀行 1234.56
# Big5-HKSCS text, with a character only HKSCS has
$ printf 'id,name\n1,香港𨋢\n' | iconv -f UTF-8 -t BIG5-HKSCS > hk.csv && printf '{"spec":"hk","source":"t","format":"csv","header":true,"encoding":"Big5-HKSCS","fields":[{"name":"id","from":"id"},{"name":"name","from":"name"}],"targets":[{"entity":"party","key":"id","kind":"=person","name_zh":"name"}]}' > hk.json && rapport load --spec hk.json hk.csv --preview 1 --json | python3 -c "import json, sys; print(json.load(sys.stdin)[0]['records'][0]['values']['name'])"
> 香港𨋢
# refused by name, before a record is read
$ rapport load --spec IBM-935.json s.dat --preview 1 > /dev/null && sed 's/IBM-935/IBM-999/' IBM-935.json > bad.json && rapport load --spec bad.json s.dat --preview 1
? 1
! rapport: load: spec t: encoding: this system's iconv has no code page 'IBM-999' (iconv -l lists those it has)
$ sed 's/IBM-935/KLINGON/' IBM-935.json > bad.json && rapport load --spec bad.json s.dat --preview 1
? 1
! rapport: load: spec t: encoding: this system's iconv has no code page 'KLINGON' (iconv -l lists those it has)
# a host code page is for host records
$ printf '{"spec":"x","source":"t","format":"csv","encoding":"IBM-1047","fields":[{"name":"a","from":1}],"targets":[{"entity":"party","key":"a","kind":"=person"}]}' > x.json && rapport load --spec x.json hk.csv --preview 1
? 1
! rapport: load: spec x: encoding: IBM-1047 is for host records (format rdw or fixed)

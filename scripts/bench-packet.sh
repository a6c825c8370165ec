#!/usr/bin/env bash
# Benchmark vault for complaint packets: one client, 20 incidents, 10 twelve-megapixel photos.
# Synthetic data only. Needs ImageMagick (convert) and a release build of the CLI.
# Afterwards: amparo --vault /tmp/pb/v packet build --out /tmp/pb/p20.pdf --repeat 7 < /tmp/pb/req.json
A="$(cd "$(dirname "$0")/.." && pwd)/target/release/amparo"
[ -x "$A" ] || A="${AMPARO_BIN:-amparo}"
mkdir -p /tmp/pb/photos && cd /tmp/pb
for i in $(seq 1 10); do
  [ -f photos/foto-$i.jpg ] || convert -seed $i -size 4000x3000 plasma:fractal -quality 90 photos/foto-$i.jpg
done
set -e
export AMPARO_PASSPHRASE=bench-pass-phrase-123
rm -rf v
$A --vault v create --fast-kdf >/dev/null
CID=$(echo '{"given_names":"Marisela","family_names":"Quintanilla Obregón","sex":"female","nationality":"HN","a_number":"201234567","date_of_birth":"1991-07-14","returned_on":"2025-01-10","return_port":"el_paso_pdn","consent":{"representation":true,"share_with_oversight":true,"publish_deidentified":false,"method":"written"}}' | $A --vault v clients add | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')
IDS=()
for i in $(seq 1 20); do
  m=$(( (i % 12) + 1 )); mm=$(printf %02d $m)
  N="La llevaron de la central de autobuses de Ciudad Juárez a una casa donde había otras familias. Le exigieron tres mil dólares; su hermano pagó una parte. Estuvo retenida $i días. Al salir no pudo llegar a su audiencia en El Paso. Los hombres tenían armas y decían ser del cártel; uno llevaba uniforme de policía municipal."
  IID=$(echo "{\"client_id\":\"$CID\",\"date_start\":\"2025-$mm\",\"date_end\":null,\"state\":\"CHIH\",\"city\":\"Ciudad Juárez\",\"place_kind\":\"bus_terminal\",\"acts\":[\"kidnapping\",\"extortion\",\"threats\"],\"perpetrators\":[\"criminal_organisation\",\"mexican_police\"],\"victims\":[],\"ransom_demanded_minor\":300000,\"ransom_paid_minor\":150000,\"ransom_currency\":\"USD\",\"reported_to_authorities\":false,\"report_number\":\"\",\"authority_response\":\"\",\"injuries\":\"Golpes en brazos y espalda.\",\"medical_care\":\"Ninguna.\",\"on_way_to_hearing\":true,\"missed_hearing_id\":null,\"narrative\":\"$N $N\",\"source\":\"client_interview\",\"taken_by\":\"LS\"}" | $A --vault v incidents add | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')
  IDS+=("$IID")
done
EX=()
for i in $(seq 1 10); do
  X=$($A --vault v attach --incident ${IDS[$((i-1))]} photos/foto-$i.jpg | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')
  EX+=("$X")
done
q() { for x in "$@"; do printf '"%s" ' "$x"; done | sed 's/" "/","/g; s/ $//'; }
echo "{\"recipient\":\"both\",\"profile\":\"identified\",\"lang\":\"en\",\"requests\":[\"investigation\",\"removal_from_mpp\"],\"clients\":[{\"client_id\":\"$CID\",\"incident_ids\":[$(q "${IDS[@]}")],\"hearing_ids\":[],\"screening_ids\":[],\"exhibit_ids\":[$(q "${EX[@]}")]}],\"choices\":[]}" > req.json

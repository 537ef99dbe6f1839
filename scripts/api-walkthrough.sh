#!/usr/bin/env bash
# The README's API walk-through, run for real: starts its own crm-server with a test clock on a
# fresh temporary directory and port, then register -> review -> promote -> sign -> pay -> the
# pool as of a past time, printing each curl command and the server's answer. Exits non-zero
# when any step answers another status than the walk-through expects (ctest runs it).
#
#   scripts/api-walkthrough.sh [path/to/crm-server]     default: build/release/bin/crm-server
set -euo pipefail
cd "$(dirname "$0")/.."

server_bin="${1:-build/release/bin/crm-server}"
work="$(mktemp -d)"
port_file="$work/port"
trap 'kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

# Monday 2 March 2026, 09:30 in Shanghai.
"$server_bin" --data "$work/data" --listen 127.0.0.1:0 --admin-token admin-secret \
  --test-clock --test-clock-start 2026-03-02T01:30:00Z >"$port_file" 2>"$work/server.log" &
server=$!
for _ in $(seq 1 100); do
  grep -q "listening on port" "$port_file" 2>/dev/null && break
  sleep 0.1
done
port="$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$port_file")"
[ -n "$port" ] || { echo "crm-server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
base="http://127.0.0.1:$port"

# call EXPECTED_STATUS TOKEN METHOD PATH [BODY]: prints the command and the answer.
call() {
  local expected="$1" token="$2" method="$3" path="$4" body="${5:-}"
  local args=(-s -o "$work/answer" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' -d "$body")
  printf '\n$ curl -X %s %s%s%s\n' "$method" "\$BASE" "$path" "${body:+ -d '$body'}"
  local status
  status="$(curl "${args[@]}" "$base$path")"
  printf '%s %s\n' "$status" "$(cat "$work/answer")"
  if [ "$status" != "$expected" ]; then
    echo "walk-through: expected $expected" >&2
    exit 1
  fi
}
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" "$work/answer"; }
user() {  # user ID ROLE TEAM [MANAGER]: creates it, prints its token
  local manager=""
  [ -n "${4:-}" ] && manager=",\"managerId\":\"$4\""
  call 201 admin-secret POST /v1/users "{\"id\":\"$1\",\"name\":\"$1\",\"role\":\"$2\",\"team\":\"$3\"$manager}" >/dev/null
  field token
}
clock() { call 200 admin-secret POST /v1/test/clock "{\"now\":\"$1\"}" >/dev/null; }

echo "# The admin (from --admin-token) creates the people of one team."
manager="$(user zhao.min manager 华东一组)"
sales="$(user wang.lei sales 华东一组 zhao.min)"
reviewer="$(user chen.jing reviewer '')"
aftersales="$(user liu.yang aftersales 华东一组 zhao.min)"
finance="$(user sun.li finance '')"

echo "# 1. A salesperson registers a company: protected for 30 days, pending review."
call 201 "$sales" POST /v1/customers \
  '{"name":"靖江市春意空调有限公司","region":"江苏","industry":"空调","address":"靖江市人民中路88号","phone":"0523-84812345","intro":"中央空调安装与维保"}'
customer="$(field id)"
call 200 "$sales" GET "/v1/search?q=%E6%98%A5%E6%84%8F"

echo "# 2. The reviewer approves it; the salesperson records a visit."
call 200 "$reviewer" POST "/v1/customers/$customer/review" '{"approve":true}'
call 200 "$sales" POST "/v1/customers/$customer/followups" '{"channel":"visit","notes":"上门拜访，确认机房改造预算"}'

echo "# 3. Promotion to intention (15 days): requested by the owner, approved by the manager."
call 201 "$sales" POST "/v1/customers/$customer/promotion-requests" '{"reason":"客户已确认预算"}'
request="$(field requestId)"
call 200 "$manager" POST "/v1/customers/$customer/promotion-requests/$request/decision" '{"approve":true}'

echo "# 4. Two days later the contract is signed; the customer goes to after-sales."
clock 2026-03-04T02:00:00Z
call 200 "$sales" POST "/v1/customers/$customer/contracts" \
  '{"contractNo":"HT-2026-0001","type":"销售合同","signedAt":"2026-03-04T02:00:00Z","paymentMethod":"银行转账","buyer":{"name":"靖江市春意空调有限公司"},"lines":[{"product":"中央空调主机","quantity":2,"unitPriceFen":4500000},{"product":"安装调试","quantity":1,"unitPriceFen":800000}],"extras":["免费维保一年"],"totalFen":9800000,"aftersalesOwnerId":"liu.yang"}'

echo "# 5. Finance records a deposit: 30% paid, the rest receivable."
call 200 "$finance" POST /v1/contracts/HT-2026-0001/payments \
  '{"amountFen":2940000,"paidAt":"2026-03-04T02:00:00Z","method":"银行转账","handler":"孙丽","account":"6222 0000 1111 2222"}'
call 200 "$finance" GET /v1/contracts/HT-2026-0001

echo "# 6. Another registration nobody works: 30 days later it is in the pool by itself (rule 13)."
call 201 "$sales" POST /v1/customers \
  '{"name":"泰州市恒远机电设备有限公司","region":"江苏","industry":"机电","address":"泰州市海陵区1号","phone":"0523-86123456","intro":"机电设备"}'
idle="$(field id)"
call 200 "$reviewer" POST "/v1/customers/$idle/review" '{"approve":true}'
clock 2026-04-06T02:00:00Z
call 200 "$sales" GET /v1/pool
echo "# ...and as the pool stood on 2 April, the day before that deadline (a compliance question):"
call 200 "$sales" GET "/v1/pool?asOf=2026-04-02T00:00:00Z"
call 200 "$sales" GET "/v1/customers/$idle/history?limit=3"

# SIGTERM: the server drains, flushes and exits 0.
kill -TERM "$server"
status=0
wait "$server" || status=$?
if [ "$status" -ne 0 ]; then
  echo "walk-through: crm-server exited $status on SIGTERM" >&2
  exit 1
fi
echo
echo "walk-through: every step answered as expected; the server stopped cleanly"

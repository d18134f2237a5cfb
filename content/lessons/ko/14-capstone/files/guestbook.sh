# 방명록: 방문자에게 인사하고 방문 횟수를 세요.
# 횟수는 /data에 적어요. 남기려면 그 자리에 볼륨을 마운트해요.
mkdir -p /data
echo visit >> /data/visits.txt
echo "$(head -n 1 greetings.sorted), visitor number $(wc -l < /data/visits.txt)!"

FROM busybox
# 만들고, 쓰고, 지우기를 RUN 한 줄에서 끝내요. 레이어에는 결과만 남아요.
RUN seq 1 100000 > /numbers.txt && wc -l < /numbers.txt > /count.txt && rm /numbers.txt

FROM busybox
RUN seq 1 100000 > /numbers.txt
# 다음 레이어에서 지워요. 앞 레이어는 그대로 남아요.
RUN rm /numbers.txt

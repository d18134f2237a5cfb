FROM busybox
# Make, use and delete in one RUN: only the result lands in the layer.
RUN seq 1 100000 > /numbers.txt && wc -l < /numbers.txt > /count.txt && rm /numbers.txt

.class public Lorg/hypercompat/corpus/multidex/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Activity;-><init>()V

    return-void
.end method


# virtual methods
.method protected onCreate(Landroid/os/Bundle;)V
    .registers 8
    .param p1, "savedInstanceState"    # Landroid/os/Bundle;

    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    # Greeter lives in classes2.dex
    invoke-static {}, Lorg/hypercompat/corpus/multidex/MultidexApplication;->greeter()Lorg/hypercompat/corpus/multidex/feature/Greeter;

    move-result-object v0

    .local v0, "greeter":Lorg/hypercompat/corpus/multidex/feature/Greeter;
    if-nez v0, :cond_0

    new-instance v0, Lorg/hypercompat/corpus/multidex/feature/Greeter;

    const-string v1, "activity"

    invoke-direct {v0, v1}, Lorg/hypercompat/corpus/multidex/feature/Greeter;-><init>(Ljava/lang/String;)V

    :cond_0
    const-string v1, "multidex"

    invoke-virtual {v0, v1}, Lorg/hypercompat/corpus/multidex/feature/Greeter;->greet(Ljava/lang/String;)Ljava/lang/String;

    move-result-object v1

    .local v1, "message":Ljava/lang/String;
    # Checksum lives in classes3.dex
    invoke-static {v1}, Lorg/hypercompat/corpus/multidex/util/Checksum;->adler32(Ljava/lang/String;)J

    move-result-wide v2

    .local v2, "sum":J
    sget-object v4, Lorg/hypercompat/corpus/multidex/util/Checksum;->ALGORITHM:Ljava/lang/String;

    new-instance v5, Ljava/lang/StringBuilder;

    invoke-direct {v5}, Ljava/lang/StringBuilder;-><init>()V

    invoke-virtual {v5, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;

    const-string v1, "\n"

    invoke-virtual {v5, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;

    invoke-virtual {v5, v4}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;

    const-string v1, " = "

    invoke-virtual {v5, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;

    invoke-static {v2, v3}, Ljava/lang/Long;->toHexString(J)Ljava/lang/String;

    move-result-object v1

    invoke-virtual {v5, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;

    new-instance v1, Landroid/widget/TextView;

    invoke-direct {v1, p0}, Landroid/widget/TextView;-><init>(Landroid/content/Context;)V

    invoke-virtual {v5}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;

    move-result-object v4

    invoke-virtual {v1, v4}, Landroid/widget/TextView;->setText(Ljava/lang/CharSequence;)V

    invoke-virtual {p0, v1}, Lorg/hypercompat/corpus/multidex/MainActivity;->setContentView(Landroid/view/View;)V

    return-void
.end method
